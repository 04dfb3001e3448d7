#include "upstream/exchange_outcome.h"

#include <fmt/format.h>

#include <utility>

#include "upstream/http/retry_after.h"

namespace imeiflow::upstream {

namespace {

CallVerdict TransportVerdict(const HttpResponse& r, std::string_view url) {
  std::string why = r.error_message.empty() ? TransportErrorName(r.error) : r.error_message;
  if (!r.request_may_have_reached_server) {
    return MakeVerdict(CallClass::kNotApplied, fmt::format("cannot reach {}: {}", url, why),
                       r.status);
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
  return MakeVerdict(
      CallClass::kUnknown,
      fmt::format("{} to {} ({}); the supplier may have acted on it", what, url, why), r.status);
}

}  // namespace

CallVerdict MakeVerdict(CallClass c, std::string message, int http_status) {
  CallVerdict v;
  v.call_class = c;
  v.message = std::move(message);
  v.http_status = http_status;
  return v;
}

std::optional<CallVerdict> ClassifyExchange(const HttpResponse& r, std::string_view url,
                                            std::time_t now) {
  if (r.error != TransportError::kNone) return TransportVerdict(r, url);
  int s = r.status;
  if (s >= 200 && s < 300) return std::nullopt;
  if (s == 429 || s == 503 || s == 408) {
    CallVerdict v = MakeVerdict(CallClass::kNotApplied,
                                fmt::format("{} answered HTTP {} (busy; not acted on)", url, s), s);
    if (r.retry_after) v.retry_after = ParseRetryAfter(*r.retry_after, now);
    return v;
  }
  if (s == 401 || s == 403) {
    return MakeVerdict(CallClass::kFatal, fmt::format("{} refused access: HTTP {}", url, s), s);
  }
  if (s >= 300 && s < 500) {
    return MakeVerdict(CallClass::kFatal,
                       fmt::format("{} answered HTTP {}: check upstream.url", url, s), s);
  }
  return MakeVerdict(CallClass::kUnknown,
                     fmt::format("{} answered HTTP {}; the supplier may have acted on it", url, s),
                     s);
}

CallVerdict UnreadableAnswer(const HttpResponse& r, const Status& parse_error) {
  return MakeVerdict(
      CallClass::kUnknown,
      fmt::format("unreadable answer (HTTP {}): {}; the supplier may have acted on it", r.status,
                  parse_error.message()),
      r.status);
}

}  // namespace imeiflow::upstream
