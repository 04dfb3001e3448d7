// Parsers for GSM Fusion's XML answers (imeiservices, placeorder, getimeis).
//
// Live suppliers answer sloppily, so the parsers tolerate a `<?phpxml ...?>`
// prolog, a UTF-8 BOM, leading whitespace, element names in any case,
// single-element lists, unknown elements and numeric or worded statuses.
// An `<error>` root (sent with HTTP 200) is an answer, not a parse failure:
// it is returned in `error`. What cannot be an answer (empty body, HTML page,
// truncated or malformed XML, an unexpected root) is a kCorrupt Status saying
// what was wrong and where.
// Pure functions; safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "upstream/provider.h"

namespace imeiflow::upstream::gsmfusion {

/// At most this many `<Package>` entries in a service list.
inline constexpr size_t kMaxServices = 20'000;
/// At most this many characters in PackageId, Category, PackageTitle,
/// PackagePrice or TimeTaken.
inline constexpr size_t kMaxServiceFieldChars = 1'000;
/// At most this many characters in MustRead (the supplier's notes).
inline constexpr size_t kMaxMustReadChars = 10'000;

/// The answer to `imeiservices` (also `fileservices`, `serverservices`).
struct ServicesAnswer {
  std::optional<std::string> error;   ///< the text of an `<error>` root
  std::vector<Service> services;      ///< one per `<Package>` with a PackageId
  std::vector<std::string> warnings;  ///< packages skipped or oddly priced
};

/// One `<imeis>` entry of a placeorder answer.
struct PlacedOrder {
  std::string id;    ///< the new order's id; empty when the entry carried none
  std::string imei;  ///< the IMEI it is for; empty when the entry carried none
  OrderStatus status = OrderStatus::kUnrecognised;  ///< status, when given
  std::string error;  ///< an `<error>` inside the entry (a refusal of this IMEI)
};

/// The answer to `placeorder`.
struct PlaceOrderAnswer {
  std::optional<std::string> error;     ///< the text of an `<error>` root
  std::vector<PlacedOrder> orders;      ///< one per `<imeis>` entry
  std::vector<std::string> duplicates;  ///< IMEIs listed under `<imeiduplicates>`
};

/// The answer to `getimeis`.
struct OrdersAnswer {
  std::optional<std::string> error;   ///< the text of an `<error>` root
  std::vector<OrderInfo> orders;      ///< one per `<imeis>` entry with an id
  std::vector<std::string> warnings;  ///< entries skipped
};

/// Parses an `imeiservices` answer. A list beyond the bounds above is
/// refused whole (kCorrupt naming the field, or the count), so that nothing
/// of it is cached.
Result<ServicesAnswer> ParseServicesAnswer(std::string_view body);
/// Parses a `placeorder` answer.
Result<PlaceOrderAnswer> ParsePlaceOrderAnswer(std::string_view body);
/// Parses a `getimeis` answer.
Result<OrdersAnswer> ParseOrdersAnswer(std::string_view body);

/// "1".."4" or the words (any case, "In Process"/"InProcess"/"In-Process").
OrderStatus ParseOrderStatus(std::string_view text);

}  // namespace imeiflow::upstream::gsmfusion
