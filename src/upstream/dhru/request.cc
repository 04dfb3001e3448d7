#include "upstream/dhru/request.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/ascii.h"

namespace imeiflow::upstream::dhru {

namespace {

// The standard placeimeiorder parameters, spelled as the servers read them.
constexpr std::string_view kStandardParameters[] = {
    "QNT", "MODELID", "PROVIDERID", "MEP",   "PIN", "KBH",
    "PRD", "TYPE",    "REFERENCE",  "LOCKS", "SN",  "SecRO",
};

std::string XmlEscaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

nlohmann::json OrderRow(const std::string& service_id, const std::string& imei,
                        const OrderFields& fields) {
  nlohmann::json row = nlohmann::json::object();
  for (const auto& [name, value] : PlaceOrderParameters(service_id, imei, fields)) {
    row[name] = value;
  }
  return row;
}

}  // namespace

Settings SettingsFromConfig(const UpstreamConfig& config, std::string api_key) {
  Settings s;
  s.base_url = config.url;
  s.user = config.user;
  s.api_key = std::move(api_key);
  s.encoding =
      config.dhru_parameters == "xml" ? ParameterEncoding::kXml : ParameterEncoding::kBase64Json;
  s.connect_timeout = std::chrono::seconds(config.connect_timeout_s);
  s.total_timeout = std::chrono::seconds(config.timeout_s);
  return s;
}

std::string ApiUrl(std::string_view base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  return std::string(base_url) + "/api/index.php";
}

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                 static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += kAlphabet[n >> 6 & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += rest == 2 ? kAlphabet[n >> 6 & 63] : '=';
    out += '=';
  }
  return out;
}

std::string EncodeParameters(const Parameters& parameters, ParameterEncoding encoding) {
  if (encoding == ParameterEncoding::kXml) {
    std::string xml = "<PARAMETERS>";
    std::vector<std::string> seen;
    for (const auto& [name, value] : parameters) {
      std::string key = Upper(name);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      xml += "<" + key + ">" + XmlEscaped(value) + "</" + key + ">";
    }
    return xml + "</PARAMETERS>";
  }
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : parameters) object[name] = value;
  return Base64(object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

HttpRequest BuildRequest(const Settings& settings, std::string_view action,
                         std::string parameters) {
  HttpRequest request;
  request.url = ApiUrl(settings.base_url);
  request.connect_timeout = settings.connect_timeout;
  request.total_timeout = settings.total_timeout;
  request.form = {{"username", settings.user},
                  {"apiaccesskey", settings.api_key},
                  {"action", std::string(action)},
                  {"requestformat", "JSON"}};
  if (!parameters.empty()) request.form.emplace_back("parameters", std::move(parameters));
  return request;
}

Parameters PlaceOrderParameters(const std::string& service_id, const std::string& imei,
                                const OrderFields& fields) {
  Parameters parameters = {{"ID", service_id}, {"IMEI", imei}};
  nlohmann::json custom = nlohmann::json::object();
  for (const OrderField& field : fields) {
    if (field.value.empty()) continue;
    auto standard = std::find_if(
        std::begin(kStandardParameters), std::end(kStandardParameters),
        [&](std::string_view name) { return AsciiLower(name) == AsciiLower(field.name); });
    if (standard != std::end(kStandardParameters)) {
      parameters.emplace_back(std::string(*standard), field.value);
    } else {
      custom[field.name] = field.value;
    }
  }
  if (!custom.empty()) {
    std::string encoded =
        Base64(custom.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    parameters.emplace_back("customfield", encoded);
    parameters.emplace_back("CUSTOMFIELD", encoded);
  }
  return parameters;
}

std::string BulkPlaceParameters(const PlaceOrderRequest& request) {
  nlohmann::json rows = nlohmann::json::object();
  for (size_t i = 0; i < request.imeis.size(); ++i) {
    rows[std::to_string(i + 1)] = OrderRow(request.service_id, request.imeis[i], request.fields);
  }
  return Base64(rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string BulkOrdersParameters(const std::vector<std::string>& order_ids) {
  nlohmann::json rows = nlohmann::json::object();
  for (const std::string& id : order_ids) rows[id] = {{"ID", id}};
  return Base64(rows.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace imeiflow::upstream::dhru
