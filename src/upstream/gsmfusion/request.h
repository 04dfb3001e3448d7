// Building GSM Fusion requests: the API URL and each action's form fields.
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

namespace imeiflow::upstream::gsmfusion {

/// Where and as whom to call a GSM Fusion supplier.
struct Settings {
  std::string base_url;  ///< e.g. https://supplier.example (a trailing slash is fine)
  std::string user;      ///< userId
  std::string api_key;   ///< apiKey; secret: never logged, never in messages
  std::chrono::milliseconds connect_timeout{10'000};  ///< time allowed to connect
  std::chrono::milliseconds total_timeout{60'000};    ///< time allowed for one call
};

/// The settings of `config` ([upstream]) with the resolved `api_key`.
Settings SettingsFromConfig(const UpstreamConfig& config, std::string api_key);

/// Form fields, in the order sent.
using FormFields = std::vector<std::pair<std::string, std::string>>;

/// `base_url` + "/gsmfusion_api/index.php", with exactly one slash between.
std::string ApiUrl(std::string_view base_url);

/// A request for `action` carrying the credentials and `fields`.
HttpRequest BuildRequest(const Settings& settings, std::string_view action, FormFields fields);

/// The placeorder fields: imei (comma-joined), networkId, and the options set.
FormFields PlaceOrderFields(const PlaceOrderRequest& request);

/// A short, stable fingerprint of an API key for logs ("key#1a2b3c4d").
std::string KeyFingerprint(std::string_view api_key);

}  // namespace imeiflow::upstream::gsmfusion
