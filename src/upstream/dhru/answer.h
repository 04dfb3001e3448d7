// Parsing DHRU Fusion answers: the JSON envelope ({"SUCCESS": [...]} or
// {"ERROR": [...]}) and the actions' payloads, accepting every variant of
// ../shared/docs/dhru-api.md (AccoutInfo / AccountInfo, creditraw or a
// formatted credit, ids and STATUS as strings or numbers). A body that is
// not such JSON is an error naming what was found, never a crash.
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/money.h"
#include "core/status.h"
#include "upstream/provider.h"

namespace imeiflow::upstream::dhru {

/// The supplier's refusal: the first ERROR entry's MESSAGE (and
/// FULL_DESCRIPTION when it says more).
struct SupplierError {
  std::string message;  ///< e.g. "Invalid Action", "Not enough credits"
};

/// What `accountinfo` answered.
struct AccountAnswer {
  std::optional<SupplierError> error;  ///< set when the supplier refused
  std::optional<Money> credit;         ///< creditraw, else credit without its symbol
  std::string credit_text;             ///< credit verbatim (or creditraw when alone)
  std::string currency;                ///< currency; may be empty
};

/// What `placeimeiorder` answered.
struct PlaceAnswer {
  std::optional<SupplierError> error;  ///< set when the supplier refused
  std::string reference_id;            ///< REFERENCEID; empty when the success named none
};

/// What `getimeiorder` answered.
struct OrderAnswer {
  std::optional<SupplierError> error;  ///< set when the supplier refused (e.g. unknown id)
  OrderInfo order;                     ///< IMEI, STATUS, CODE (order_id left to the caller)
};

/// Parses an `accountinfo` answer.
Result<AccountAnswer> ParseAccountAnswer(std::string_view body);

/// Parses a `placeimeiorder` answer.
Result<PlaceAnswer> ParsePlaceAnswer(std::string_view body);

/// Parses a `getimeiorder` answer.
Result<OrderAnswer> ParseOrderAnswer(std::string_view body);

/// The order status of a DHRU STATUS: 0 pending, 1 in process, 3 rejected,
/// 4 completed; anything else unrecognised.
OrderStatus StatusFromDhru(std::string_view status);

}  // namespace imeiflow::upstream::dhru
