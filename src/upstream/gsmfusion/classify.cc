#include "upstream/gsmfusion/classify.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "upstream/http/retry_after.h"

namespace imeiflow::upstream::gsmfusion {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

CallVerdict Verdict(CallClass c, std::string message, int http_status) {
  CallVerdict v;
  v.call_class = c;
  v.message = std::move(message);
  v.http_status = http_status;
  return v;
}

CallVerdict TransportVerdict(const HttpResponse& r, std::string_view url) {
  std::string why = r.error_message.empty() ? TransportErrorName(r.error) : r.error_message;
  if (!r.request_may_have_reached_server) {
    return Verdict(CallClass::kNotApplied, fmt::format("cannot reach {}: {}", url, why), r.status);
  }
  std::string what;
  switch (r.error) {
    case TransportError::kTimedOut:
      what = "timed out after sending";
      break;
    case TransportError::kRewindRefused:
      what = "connection lost; resending refused";
      break;
    case TransportError::kBadAnswer:
      what = "undecodable answer";
      break;
    case TransportError::kTooLarge:
      what = "answer too large";
      break;
    default:
      what = "connection lost";
      break;
  }
  return Verdict(CallClass::kUnknown,
                 fmt::format("{} to {} ({}); the supplier may have acted on it", what, url, why),
                 r.status);
}

}  // namespace

std::optional<CallVerdict> ClassifyHttp(const HttpResponse& r, std::string_view url,
                                        std::time_t now) {
  if (r.error != TransportError::kNone) return TransportVerdict(r, url);
  int s = r.status;
  if (s >= 200 && s < 300) return std::nullopt;
  if (s == 429 || s == 503 || s == 408) {
    CallVerdict v = Verdict(CallClass::kNotApplied,
                            fmt::format("{} answered HTTP {} (busy; not acted on)", url, s), s);
    if (r.retry_after) v.retry_after = ParseRetryAfter(*r.retry_after, now);
    return v;
  }
  if (s == 401 || s == 403) {
    return Verdict(CallClass::kFatal, fmt::format("{} refused access: HTTP {}", url, s), s);
  }
  if (s >= 300 && s < 500) {
    return Verdict(CallClass::kFatal,
                   fmt::format("{} answered HTTP {}: check upstream.url", url, s), s);
  }
  return Verdict(CallClass::kUnknown,
                 fmt::format("{} answered HTTP {}; the supplier may have acted on it", url, s), s);
}

bool IsAccountError(std::string_view supplier_error) {
  std::string e = Lower(supplier_error);
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
  std::string e = Lower(supplier_error);
  return e.find("already exist") != std::string::npos;
}

CallVerdict UnreadableAnswer(const HttpResponse& r, const Status& parse_error) {
  return Verdict(CallClass::kUnknown,
                 fmt::format("unreadable answer (HTTP {}): {}; the supplier may have acted on it",
                             r.status, parse_error.message()),
                 r.status);
}

PlaceOrderResult MapPlaceOrderAnswer(const std::vector<std::string>& sent,
                                     const PlaceOrderAnswer& answer, int http_status) {
  PlaceOrderResult result;
  result.verdict = Verdict(CallClass::kApplied, "", http_status);
  std::vector<std::string>& warnings = result.verdict.warnings;
  for (const std::string& imei : sent)
    result.outcomes.push_back(
        {imei, ImeiOutcomeKind::kNotMentioned, "", OrderStatus::kPending, ""});

  if (answer.error) {
    const std::string& e = *answer.error;
    if (IsAccountError(e)) {
      result.verdict =
          Verdict(CallClass::kFatal, "supplier refused the credentials: " + e, http_status);
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
        result.verdict = Verdict(CallClass::kUnknown,
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
