#include "upstream/gsmfusion/classify.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "core/ascii.h"
#include "upstream/exchange_outcome.h"

namespace imeiflow::upstream::gsmfusion {

bool IsAccountError(std::string_view supplier_error) {
  std::string e = AsciiLower(supplier_error);
  for (const char* needle :
       {"invalid user", "invalid api", "invalid apikey", "api key", "access denied",
        "not authorized", "unauthorized", "insufficient credit", "not enough credit",
        "insufficient balance", "low balance"}) {
    if (e.find(needle) != std::string::npos) return true;
  }
  // "IMEI is blocked" refuses an IMEI; only a blocked account is the account's.
  bool account = e.find("account") != std::string::npos;
  return account &&
         (e.find("blocked") != std::string::npos || e.find("suspended") != std::string::npos ||
          e.find("disabled") != std::string::npos);
}

bool IsDuplicateError(std::string_view supplier_error) {
  std::string e = AsciiLower(supplier_error);
  return e.find("already exist") != std::string::npos;
}

PlaceOrderResult MapPlaceOrderAnswer(const std::vector<std::string>& sent,
                                     const PlaceOrderAnswer& answer, int http_status) {
  PlaceOrderResult result;
  result.verdict = MakeVerdict(CallClass::kApplied, "", http_status);
  std::vector<std::string>& warnings = result.verdict.warnings;
  for (const std::string& imei : sent)
    result.outcomes.push_back(
        {imei, ImeiOutcomeKind::kNotMentioned, "", OrderStatus::kPending, ""});

  if (answer.error) {
    const std::string& e = *answer.error;
    if (IsAccountError(e)) {
      result.verdict =
          MakeVerdict(CallClass::kFatal, "supplier refused the credentials: " + e, http_status);
      result.outcomes.clear();
    } else if (sent.size() == 1) {
      ImeiOutcome& o = result.outcomes[0];
      o.kind = IsDuplicateError(e) ? ImeiOutcomeKind::kDuplicate : ImeiOutcomeKind::kRejected;
      o.message = e;
    } else {
      warnings.push_back(fmt::format(
          "the supplier refused a batch of {} without naming an IMEI: {}", sent.size(), e));
    }
    return result;
  }

  // IMEI -> index of the first outcome for it that no answer entry claimed yet.
  std::unordered_map<std::string, std::vector<size_t>> slots;
  for (size_t i = sent.size(); i-- > 0;) slots[sent[i]].push_back(i);
  auto claim = [&](const std::string& imei) -> ImeiOutcome* {
    auto it = slots.find(imei);
    if (it == slots.end() || it->second.empty()) return nullptr;
    size_t index = it->second.back();
    it->second.pop_back();
    return &result.outcomes[index];
  };

  for (const PlacedOrder& order : answer.orders) {
    std::string imei = order.imei;
    if (imei.empty() && sent.size() == 1)
      imei = sent[0];  // a single call names its IMEI implicitly
    if (imei.empty() || (order.id.empty() && order.error.empty())) {
      if (!order.id.empty()) {
        result.verdict =
            MakeVerdict(CallClass::kUnknown,
                        fmt::format("order {} in the answer names no IMEI sent; cannot "
                                    "tell which IMEI was charged",
                                    order.id),
                        http_status);
        result.outcomes.clear();
        return result;
      }
      warnings.push_back("an <imeis> entry with neither order id nor error; ignored");
      continue;
    }
    ImeiOutcome* o = claim(imei);
    if (!o) {
      warnings.push_back(fmt::format("the answer names IMEI {} which was not sent; ignored", imei));
      continue;
    }
    if (!order.id.empty()) {
      o->kind = ImeiOutcomeKind::kOrdered;
      o->order_id = order.id;
      o->status = order.status == OrderStatus::kUnrecognised ? OrderStatus::kPending : order.status;
    } else {
      o->kind =
          IsDuplicateError(order.error) ? ImeiOutcomeKind::kDuplicate : ImeiOutcomeKind::kRejected;
      o->message = order.error;
    }
  }
  for (const std::string& imei : answer.duplicates) {
    ImeiOutcome* o = claim(imei);
    if (!o) {
      auto ordered = std::find_if(result.outcomes.begin(), result.outcomes.end(),
                                  [&](const ImeiOutcome& x) { return x.imei == imei; });
      warnings.push_back(
          ordered != result.outcomes.end()
              ? fmt::format("IMEI {} is both ordered and a duplicate; kept the order", imei)
              : fmt::format("duplicate IMEI {} was not sent; ignored", imei));
      continue;
    }
    o->kind = ImeiOutcomeKind::kDuplicate;
  }
  return result;
}

}  // namespace imeiflow::upstream::gsmfusion
