#include "upstream/dhru/classify.h"

#include "core/ascii.h"
#include "upstream/exchange_outcome.h"

namespace imeiflow::upstream::dhru {

namespace {

bool Contains(std::string_view message, std::string_view lower_word) {
  return AsciiLower(message).find(lower_word) != std::string::npos;
}

}  // namespace

bool IsAccountError(std::string_view message) {
  return Contains(message, "authentication failed") || Contains(message, "invalid user") ||
         Contains(message, "invalid api access key") || Contains(message, "invalid api key");
}

bool IsOutOfCredit(std::string_view message) {
  return Contains(message, "not enough credit") || Contains(message, "insufficient");
}

bool IsDuplicateError(std::string_view message) { return Contains(message, "already exist"); }

bool IsInvalidAction(std::string_view message) { return Contains(message, "invalid action"); }

CallVerdict ErrorVerdict(CallClass otherwise, const SupplierError& error, int http_status) {
  if (IsAccountError(error.message)) {
    return MakeVerdict(CallClass::kFatal, "supplier refused the credentials: " + error.message,
                       http_status);
  }
  if (IsOutOfCredit(error.message)) {
    CallVerdict v = MakeVerdict(
        CallClass::kFatal, "supplier refused for lack of credit: " + error.message, http_status);
    v.out_of_credit = true;
    return v;
  }
  return MakeVerdict(otherwise, "supplier answered with an error: " + error.message, http_status);
}

PlaceOrderResult MapPlaceAnswer(const std::string& imei, const PlaceAnswer& answer,
                                int http_status) {
  PlaceOrderResult result;
  ImeiOutcome outcome;
  outcome.imei = imei;
  if (answer.error) {
    result.verdict = ErrorVerdict(CallClass::kApplied, *answer.error, http_status);
    if (result.verdict.call_class != CallClass::kApplied) return result;
    result.verdict.message.clear();
    outcome.kind = IsDuplicateError(answer.error->message) ? ImeiOutcomeKind::kDuplicate
                                                           : ImeiOutcomeKind::kRejected;
    outcome.message = answer.error->message;
  } else if (answer.reference_id.empty()) {
    result.verdict =
        MakeVerdict(CallClass::kUnknown, "the supplier accepted the order but named no REFERENCEID",
                    http_status);
    return result;
  } else {
    result.verdict = MakeVerdict(CallClass::kApplied, "", http_status);
    outcome.kind = ImeiOutcomeKind::kOrdered;
    outcome.order_id = answer.reference_id;
    outcome.status = OrderStatus::kPending;
  }
  result.outcomes.push_back(std::move(outcome));
  return result;
}

}  // namespace imeiflow::upstream::dhru
