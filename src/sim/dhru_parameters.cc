#include "sim/dhru_parameters.h"

#include <pugixml.hpp>

#include <nlohmann/json.hpp>


namespace imeiflow::sim {
namespace {

constexpr const char* kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr const char* kNotBase64Json = "Parameters must be valid base64-encoded JSON";
constexpr const char* kNotXml = "Parameters must be valid XML (<PARAMETERS>...</PARAMETERS>)";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// A JSON scalar as text: strings as they are, numbers in decimal; nullopt otherwise.
std::optional<std::string> ScalarText(const nlohmann::ordered_json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  if (v.is_null()) return std::string();
  return std::nullopt;
}

Result<nlohmann::ordered_json> Base64JsonObject(std::string_view text) {
  std::optional<std::string> decoded = Base64Decode(text);
  if (!decoded) return Status::InvalidArgument(kNotBase64Json);
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(*decoded, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument(kNotBase64Json);
  return j;
}

Result<DhruParameterMap> FlatMap(const nlohmann::ordered_json& object) {
  DhruParameterMap map;
  for (const auto& [key, value] : object.items()) {
    std::optional<std::string> text = ScalarText(value);
    if (!text) return Status::InvalidArgument("Parameter '" + Upper(key) + "' must be a value");
    map[Upper(key)] = std::move(*text);
  }
  return map;
}

Result<DhruParameterMap> DecodeXml(std::string_view text) {
  pugi::xml_document doc;
  if (!doc.load_buffer(text.data(), text.size())) return Status::InvalidArgument(kNotXml);
  pugi::xml_node root = doc.document_element();
  if (Upper(root.name()) != "PARAMETERS") return Status::InvalidArgument(kNotXml);
  DhruParameterMap map;
  for (pugi::xml_node child : root.children()) {
    if (child.type() == pugi::node_element) map[Upper(child.name())] = child.text().get();
  }
  return map;
}

}  // namespace

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  size_t padding = 0;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    int v = Base64Value(c);
    if (v < 0 || padding > 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    if (++count == 4) {
      out.push_back(static_cast<char>((bits >> 16) & 0xff));
      out.push_back(static_cast<char>((bits >> 8) & 0xff));
      out.push_back(static_cast<char>(bits & 0xff));
      bits = 0;
      count = 0;
    }
  }
  if (count == 1 || padding > 2) return std::nullopt;
  if (count == 2) out.push_back(static_cast<char>((bits >> 4) & 0xff));
  if (count == 3) {
    out.push_back(static_cast<char>((bits >> 10) & 0xff));
    out.push_back(static_cast<char>((bits >> 2) & 0xff));
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) |
                 (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kBase64Alphabet[(v >> 18) & 63]);
    out.push_back(kBase64Alphabet[(v >> 12) & 63]);
    out.push_back(kBase64Alphabet[(v >> 6) & 63]);
    out.push_back(kBase64Alphabet[v & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out.push_back(kBase64Alphabet[(v >> 18) & 63]);
    out.push_back(kBase64Alphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kBase64Alphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

Result<DhruParameterMap> DecodeParameters(std::string_view text, DhruParameters accepted) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return DhruParameterMap{};
  bool xml = text[start] == '<';
  if (xml) {
    if (accepted == DhruParameters::kBase64) return Status::InvalidArgument(kNotBase64Json);
    return DecodeXml(text.substr(start));
  }
  if (accepted == DhruParameters::kXml) return Status::InvalidArgument(kNotXml);
  auto object = Base64JsonObject(text);
  if (!object.ok()) return object.status();
  return FlatMap(*object);
}

Result<std::vector<DhruBulkRow>> DecodeBulkParameters(std::string_view text) {
  auto object = Base64JsonObject(text);
  if (!object.ok()) return object.status();
  std::vector<DhruBulkRow> rows;
  for (const auto& [ref, value] : object->items()) {
    if (!value.is_object()) {
      return Status::InvalidArgument("Parameters must be valid base64-encoded JSON (row " + ref +
                                     " is not an object)");
    }
    auto row = FlatMap(value);
    if (!row.ok()) return row.status();
    rows.push_back({ref, std::move(*row)});
  }
  return rows;
}

Result<std::map<std::string, std::string>> DecodeCustomFields(std::string_view text) {
  auto object = Base64JsonObject(text);
  if (!object.ok()) return Status::InvalidArgument("CUSTOMFIELD must be valid base64-encoded JSON");
  std::map<std::string, std::string> fields;
  for (const auto& [name, value] : object->items()) {
    std::optional<std::string> v = ScalarText(value);
    if (!v) return Status::InvalidArgument("Invalid value for " + name + ": not a value");
    fields[name] = std::move(*v);
  }
  return fields;
}

}  // namespace imeiflow::sim
