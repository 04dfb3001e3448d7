// Exchange outcome: what an HTTP exchange alone says about whether the
// supplier acted on a call, for any protocol spoken over HTTP (GSM Fusion,
// DHRU). This is where the exactly-once rules meet the wire: a call counts
// as not applied only when that is proven (nothing sent, or a busy refusal);
// anything that may have reached the supplier without a readable answer is
// unknown (design: "Exactly-once submission").
// Pure functions; safe from any thread.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "upstream/http/transport.h"
#include "upstream/provider.h"

namespace imeiflow::upstream {

/// The verdict the HTTP exchange alone decides (a transport failure or a
/// non-2xx status), or nothing when the body must be parsed. `url` names the
/// supplier in messages (pass it redacted); `now` dates an HTTP-date Retry-After.
std::optional<CallVerdict> ClassifyExchange(const HttpResponse& response, std::string_view url,
                                            std::time_t now);

/// The verdict for a 2xx body that could not be parsed as an answer: the
/// supplier may have acted on it, so kUnknown; the message says why.
CallVerdict UnreadableAnswer(const HttpResponse& response, const Status& parse_error);

/// A verdict of class `c` with `message`, for an answer with `http_status`.
CallVerdict MakeVerdict(CallClass c, std::string message, int http_status);

}  // namespace imeiflow::upstream
