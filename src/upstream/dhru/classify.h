// Classifying a DHRU answer: which supplier errors refuse the account or the
// credit, and what became of the IMEI of a placeimeiorder. What the HTTP
// exchange alone decides is protocol-neutral (upstream/exchange_outcome.h).
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "upstream/dhru/answer.h"
#include "upstream/provider.h"

namespace imeiflow::upstream::dhru {

/// True for errors that refuse the account ("Authentication Failed", "Invalid
/// User!", "Invalid API access key or username").
bool IsAccountError(std::string_view message);

/// True for "Not enough credits" / "Insufficient balance".
bool IsOutOfCredit(std::string_view message);

/// True for a refusal of an IMEI already ordered ("IMEI already exists").
bool IsDuplicateError(std::string_view message);

/// True for "Invalid Action": the panel lacks the action (e.g. bulk calls).
bool IsInvalidAction(std::string_view message);

/// The verdict of a call the supplier refused with `error`: kFatal for the
/// account, kFatal with out_of_credit for lack of credit, else `otherwise`.
CallVerdict ErrorVerdict(CallClass otherwise, const SupplierError& error, int http_status);

/// What became of `imei` given a placeimeiorder answer: ordered (with its
/// REFERENCEID), duplicate, or rejected (nothing charged); an account or
/// credit refusal is a kFatal call; a success naming no REFERENCEID makes the
/// call kUnknown (an order may exist that imeiflow cannot track).
PlaceOrderResult MapPlaceAnswer(const std::string& imei, const PlaceAnswer& answer,
                                int http_status);

}  // namespace imeiflow::upstream::dhru
