// DhruParameters: decoding the `parameters` field of a DHRU Fusion call.
//
// Panels receive `parameters` as base64 of a JSON object (the V6.1 template,
// and always for the bulk actions) or as raw XML `<PARAMETERS><ID>..</ID>
// </PARAMETERS>` (the 2012 kit). Keys are matched case-insensitively, so they
// are upper-cased here (`customfield` and `CUSTOMFIELD` are one key); custom
// fields ride inside as base64 JSON `{fieldname: value}` with names kept as
// sent. Errors are the panel's own messages. Pure functions; thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "sim/sim_options.h"

namespace imeiflow::sim {

/// A call's parameters, keys upper-cased, values as text (numbers in decimal).
using DhruParameterMap = std::map<std::string, std::string>;

/// One row of a bulk call: the caller's reference and that row's parameters.
struct DhruBulkRow {
  std::string ref;              ///< the caller's key for the row
  DhruParameterMap parameters;  ///< ID, IMEI, ... (upper-cased keys)
};

/// Standard base64 (padding optional; whitespace ignored); nullopt when malformed.
std::optional<std::string> Base64Decode(std::string_view text);
/// Standard base64 with padding.
std::string Base64Encode(std::string_view bytes);

/// Decodes `text` as XML (when it starts with '<') or base64 JSON, as far as
/// `accepted` allows. An empty `text` is an empty map.
Result<DhruParameterMap> DecodeParameters(std::string_view text, DhruParameters accepted);

/// Decodes a bulk call's base64 JSON `{ref: {ID, IMEI, ...}, ...}`, rows in
/// the order sent.
Result<std::vector<DhruBulkRow>> DecodeBulkParameters(std::string_view text);

/// Decodes a `CUSTOMFIELD` value: base64 of a JSON object {fieldname: value}.
Result<std::map<std::string, std::string>> DecodeCustomFields(std::string_view text);

}  // namespace imeiflow::sim
