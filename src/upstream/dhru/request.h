// Building DHRU Fusion requests: the API URL, the credentials, and each
// action's `parameters` (base64 of a JSON object, or raw XML), as
// ../shared/docs/dhru-api.md describes.
// Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config.h"
#include "upstream/http/transport.h"
#include "upstream/provider.h"

namespace imeiflow::upstream::dhru {

/// How `parameters` is encoded (upstream.dhru_parameters).
enum class ParameterEncoding {
  kBase64Json,  ///< base64 of a JSON object (the V6.1 template; always for bulk actions)
  kXml,         ///< <PARAMETERS><ID>..</ID></PARAMETERS>, keys upper-cased (the 2012 kit)
};

/// Where and as whom to call a DHRU supplier.
struct Settings {
  std::string base_url;  ///< e.g. https://supplier.example (a trailing slash is fine)
  std::string user;      ///< username
  std::string api_key;   ///< apiaccesskey; secret: never logged, never in messages
  ParameterEncoding encoding = ParameterEncoding::kBase64Json;  ///< see ParameterEncoding
  std::chrono::milliseconds connect_timeout{10'000};            ///< time allowed to connect
  std::chrono::milliseconds total_timeout{60'000};              ///< time allowed for one call
};

/// The settings of `config` ([upstream]) with the resolved `api_key`.
Settings SettingsFromConfig(const UpstreamConfig& config, std::string api_key);

/// Named values of `parameters`, in the order sent.
using Parameters = std::vector<std::pair<std::string, std::string>>;

/// `base_url` + "/api/index.php", with exactly one slash between.
std::string ApiUrl(std::string_view base_url);

/// Standard base64 (with padding) of `bytes`.
std::string Base64(std::string_view bytes);

/// `parameters` encoded as `encoding` says.
std::string EncodeParameters(const Parameters& parameters, ParameterEncoding encoding);

/// A request for `action` carrying the credentials, requestformat=JSON and,
/// when not empty, the encoded `parameters` field.
HttpRequest BuildRequest(const Settings& settings, std::string_view action, std::string parameters);

/// The placeimeiorder parameters for one IMEI: ID, IMEI, then the fields.
/// A field named like a standard parameter (MODELID, PROVIDERID, PIN, ...,
/// any case) goes under that parameter's name; the others ride together as
/// base64 JSON under both `customfield` and `CUSTOMFIELD` (one key in XML).
Parameters PlaceOrderParameters(const std::string& service_id, const std::string& imei,
                                const OrderFields& fields);

/// The placeimeiorderbulk `parameters`: base64 JSON {ref: {ID, IMEI, ...}},
/// the refs "1".."n" in the order of `request.imeis`.
std::string BulkPlaceParameters(const PlaceOrderRequest& request);

/// The getimeiorderbulk `parameters`: base64 JSON {id: {"ID": id}}.
std::string BulkOrdersParameters(const std::vector<std::string>& order_ids);

}  // namespace imeiflow::upstream::dhru
