// Classifying a GSM Fusion call: did the supplier act on it, and what became
// of each IMEI sent. This is where the exactly-once rules meet the wire:
// a call counts as not applied only when that is proven.
// Pure functions; safe from any thread.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "upstream/gsmfusion/answer.h"
#include "upstream/http/transport.h"
#include "upstream/provider.h"

namespace imeiflow::upstream::gsmfusion {

/// The verdict the HTTP exchange alone decides (transport failure or a
/// non-2xx status), or nothing when the body must be parsed. `url` names the
/// supplier in messages; `now` dates Retry-After.
std::optional<CallVerdict> ClassifyHttp(const HttpResponse& response, std::string_view url,
                                        std::time_t now);

/// True for `<error>` texts that refuse the account rather than the request
/// ("Invalid User!", "Invalid API Key!", blocked account, no credit).
bool IsAccountError(std::string_view supplier_error);

/// True for the supplier's "IMEI already exists!" refusal.
bool IsDuplicateError(std::string_view supplier_error);

/// The verdict for a body that could not be parsed as an answer: the
/// supplier may have acted on it, so kUnknown.
CallVerdict UnreadableAnswer(const HttpResponse& response, const Status& parse_error);

/// Maps a parsed placeorder answer onto the IMEIs sent: one outcome per IMEI
/// sent, in order. An `<error>` root is an account error (kFatal), a refusal
/// of a single IMEI (duplicate or rejected) or, for a batch, a refusal that
/// names no IMEI (all not_mentioned). An order the answer cannot tie to an
/// IMEI of a batch makes the call kUnknown. IMEIs the answer names that were
/// not sent are ignored with a warning.
PlaceOrderResult MapPlaceOrderAnswer(const std::vector<std::string>& sent,
                                     const PlaceOrderAnswer& answer, int http_status);

}  // namespace imeiflow::upstream::gsmfusion
