#include "upstream/gsmfusion/request.h"

#include <fmt/format.h>

#include <cstdint>

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
  const OrderOptions& o = request.options;
  const std::pair<const char*, const std::string*> optional[] = {
      {"modelNo", &o.model_no},
      {"operatorId", &o.operator_id},
      {"serviceId", &o.service_id},
      {"modelId", &o.model_id},
      {"providerId", &o.provider_id},
      {"mobileId", &o.mobile_id},
      {"mep", &o.mep},
      {"serialNo", &o.serial_no},
      {"prd", &o.prd},
      {"pin", &o.pin},
      {"kbh", &o.kbh},
      {"zte", &o.zte},
      {"otherId", &o.other_id},
      {"other", &o.other},
  };
  for (const auto& [name, value] : optional) {
    if (!value->empty()) fields.emplace_back(name, *value);
  }
  return fields;
}

std::string KeyFingerprint(std::string_view api_key) {
  // FNV-1a, 32 bits: only a tag telling keys apart; it cannot give a key back.
  uint32_t hash = 2166136261u;
  for (unsigned char c : api_key) hash = (hash ^ c) * 16777619u;
  return fmt::format("key#{:08x}", hash);
}

}  // namespace imeiflow::upstream::gsmfusion
