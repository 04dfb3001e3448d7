// Classifying a GSM Fusion answer: which supplier errors refuse the account,
// and what became of each IMEI sent. What the HTTP exchange alone decides is
// protocol-neutral (upstream/exchange_outcome.h).
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "upstream/gsmfusion/answer.h"
#include "upstream/provider.h"

namespace imeiflow::upstream::gsmfusion {

/// True for `<error>` texts that refuse the account rather than the request
/// ("Invalid User!", "Invalid API Key!", blocked account, no credit).
bool IsAccountError(std::string_view supplier_error);

/// True for the supplier's "IMEI already exists!" refusal.
bool IsDuplicateError(std::string_view supplier_error);

/// Maps a parsed placeorder answer onto the IMEIs sent: one outcome per IMEI
/// sent, in order. An `<error>` root is an account error (kFatal), a refusal
/// of a single IMEI (duplicate or rejected) or, for a batch, a refusal that
/// names no IMEI (all not_mentioned). An order the answer cannot tie to an
/// IMEI of a batch makes the call kUnknown. IMEIs the answer names that were
/// not sent are ignored with a warning.
PlaceOrderResult MapPlaceOrderAnswer(const std::vector<std::string>& sent,
                                     const PlaceOrderAnswer& answer, int http_status);

}  // namespace imeiflow::upstream::gsmfusion
