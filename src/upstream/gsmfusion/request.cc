#include "upstream/gsmfusion/request.h"

#include "core/ascii.h"

namespace imeiflow::upstream::gsmfusion {

std::string ApiUrl(std::string_view base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  return std::string(base_url) + "/gsmfusion_api/index.php";
}

Settings SettingsFromConfig(const UpstreamConfig& config, std::string api_key) {
  Settings s;
  s.base_url = config.url;
  s.user = config.user;
  s.api_key = std::move(api_key);
  s.connect_timeout = std::chrono::seconds(config.connect_timeout_s);
  s.total_timeout = std::chrono::seconds(config.timeout_s);
  return s;
}

HttpRequest BuildRequest(const Settings& settings, std::string_view action, FormFields fields) {
  HttpRequest request;
  request.url = ApiUrl(settings.base_url);
  request.connect_timeout = settings.connect_timeout;
  request.total_timeout = settings.total_timeout;
  request.form.reserve(fields.size() + 3);
  request.form.emplace_back("apiKey", settings.api_key);
  request.form.emplace_back("userId", settings.user);
  request.form.emplace_back("action", std::string(action));
  for (auto& field : fields) request.form.push_back(std::move(field));
  return request;
}

FormFields PlaceOrderFields(const PlaceOrderRequest& request) {
  std::string imeis;
  for (const std::string& imei : request.imeis) {
    if (!imeis.empty()) imeis += ',';
    imeis += imei;
  }
  FormFields fields = {{"imei", imeis}, {"networkId", request.service_id}};
  // The optional placeorder parameters; a field is sent under the
  // parameter's own spelling when its name matches one, in any case.
  static constexpr std::string_view kParameters[] = {
      "modelNo",  "operatorId", "serviceId", "modelId", "providerId", "mobileId", "mep",
      "serialNo", "prd",        "pin",       "kbh",     "zte",        "otherId",  "other",
  };
  for (const OrderField& field : request.fields) {
    if (field.value.empty()) continue;
    for (std::string_view parameter : kParameters) {
      if (AsciiLower(parameter) == AsciiLower(field.name)) {
        fields.emplace_back(std::string(parameter), field.value);
        break;
      }
    }
  }
  return fields;
}

}  // namespace imeiflow::upstream::gsmfusion
