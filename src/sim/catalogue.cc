#include "sim/catalogue.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace imeiflow::sim {
namespace {

Service Make(std::string id, std::string category, std::string title, int64_t cents,
             std::string delivery, std::string must_read, ServiceKind kind) {
  return Service{std::move(id),
                 std::move(category),
                 std::move(title),
                 Money::FromCents(cents),
                 std::move(delivery),
                 std::move(must_read),
                 kind};
}

ServiceKind GuessKind(const std::string& title) {
  auto has = [&](const char* word) { return title.find(word) != std::string::npos; };
  if (has("Unlock") || has("unlock") || has("UNLOCK")) return ServiceKind::kUnlock;
  if (has("iPhone") || has("Apple") || has("APPLE") || has("iCloud")) {
    return ServiceKind::kAppleCheck;
  }
  return ServiceKind::kGenericCheck;
}

Result<ServiceKind> ParseKind(const std::string& text) {
  if (text == "apple_check") return ServiceKind::kAppleCheck;
  if (text == "check") return ServiceKind::kGenericCheck;
  if (text == "unlock") return ServiceKind::kUnlock;
  return Status::InvalidArgument(
      fmt::format("unknown kind \"{}\" (expected apple_check, check or unlock)", text));
}

// A JSON string or number as text; numbers keep their shortest decimal form.
Result<std::string> PriceText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number()) return v.dump();
  return Status::InvalidArgument("price must be a string or a number");
}

Result<std::string> StringField(const nlohmann::json& entry, const char* key, bool required) {
  auto it = entry.find(key);
  if (it == entry.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(fmt::format("missing \"{}\"", key));
    return std::string();
  }
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return it->dump();
  return Status::InvalidArgument(fmt::format("\"{}\" must be a string", key));
}

Result<Service> ParseService(const nlohmann::json& entry) {
  if (!entry.is_object()) return Status::InvalidArgument("not an object");
  Service s;
  for (auto [key, field, required] : {std::tuple{"id", &s.id, true},
                                      {"category", &s.category, false},
                                      {"title", &s.title, true},
                                      {"delivery", &s.delivery, false},
                                      {"must_read", &s.must_read, false}}) {
    auto text = StringField(entry, key, required);
    if (!text.ok()) return text.status();
    *field = std::move(*text);
  }
  if (s.id.empty()) return Status::InvalidArgument("empty \"id\"");
  auto price_it = entry.find("price");
  if (price_it == entry.end()) return Status::InvalidArgument("missing \"price\"");
  auto price_text = PriceText(*price_it);
  if (!price_text.ok()) return price_text.status();
  auto price = Money::Parse(*price_text);
  if (!price.ok()) return Status::InvalidArgument("price: " + price.status().message());
  s.price = *price;
  s.kind = GuessKind(s.title);
  if (auto kind_it = entry.find("kind"); kind_it != entry.end()) {
    if (!kind_it->is_string()) return Status::InvalidArgument("\"kind\" must be a string");
    auto kind = ParseKind(kind_it->get<std::string>());
    if (!kind.ok()) return kind.status();
    s.kind = *kind;
  }
  return s;
}

}  // namespace

Catalogue Catalogue::BuiltIn() {
  using K = ServiceKind;
  Catalogue c;
  c.services_ = {
      Make("1739", "Apple iPhone Checks", "iPhone Carrier + FMI + SimLock Check", 8, "1-5 Minutes",
           "Submit the 15-digit IMEI. Results are instant in most cases.", K::kAppleCheck),
      Make("1740", "Apple iPhone Checks", "iPhone Full Info Check (GSX)", 45, "1-30 Minutes",
           "Model, purchase date, AppleCare, carrier & FMI status.", K::kAppleCheck),
      Make("1741", "Apple iPhone Checks", "iCloud FMI ON/OFF Status", 3, "Instant",
           "FMI status only.", K::kAppleCheck),
      Make("2001", "Blacklist Checks", "GSMA Blacklist Status Check (Worldwide)", 5, "1-5 Minutes",
           "Clean / Blacklisted with reporting network.", K::kGenericCheck),
      Make("2002", "Samsung Checks", "Samsung Info + Carrier + Warranty Check", 10, "1-10 Minutes",
           "Model, carrier, warranty and Knox status.", K::kGenericCheck),
      Make("3101", "USA Unlocks", "AT&T USA iPhone Unlock (Clean, Premium)", 4500, "1-5 Days",
           "<b>Clean IMEIs only.</b> No refund for blacklisted devices.", K::kUnlock),
      Make("3102", "USA Unlocks", "T-Mobile USA Samsung Unlock Code", 1200, "1-3 Days",
           "Device must be fully paid.", K::kUnlock),
      Make("3201", "UK Unlocks", "EE UK Unlock Code (All Models)", 250, "1-24 Hours",
           "Standard NCK code.", K::kUnlock),
      Make("3202", "UK Unlocks", "Vodafone UK iPhone Unlock (Clean)", 1850, "1-7 Days",
           "Not for blacklisted or financed devices.", K::kUnlock),
      Make("3301", "Generic Unlocks", "Motorola / LG Worldwide Unlock Code", 399, "1-12 Hours",
           "Provide the model in modelNo when known.", K::kUnlock),
  };
  return c;
}

Result<Catalogue> Catalogue::FromJson(const std::string& json_text, const std::string& origin) {
  nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Status::InvalidArgument(fmt::format("{}: not valid JSON", origin));
  }
  if (!doc.is_array()) {
    return Status::InvalidArgument(fmt::format("{}: expected a JSON array of services", origin));
  }
  Catalogue c;
  for (size_t i = 0; i < doc.size(); ++i) {
    auto service = ParseService(doc[i]);
    if (!service.ok()) {
      return Status::InvalidArgument(
          fmt::format("{}: service #{}: {}", origin, i + 1, service.status().message()));
    }
    if (c.Find(service->id) != nullptr) {
      return Status::InvalidArgument(
          fmt::format("{}: service #{}: duplicate id \"{}\"", origin, i + 1, service->id));
    }
    c.services_.push_back(std::move(*service));
  }
  if (c.services_.empty()) {
    return Status::InvalidArgument(fmt::format("{}: the catalogue holds no service", origin));
  }
  return c;
}

Result<Catalogue> Catalogue::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("{}: cannot open for reading", path));
  std::ostringstream text;
  text << in.rdbuf();
  return FromJson(text.str(), path);
}

const Service* Catalogue::Find(const std::string& id) const {
  for (const Service& s : services_) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

}  // namespace imeiflow::sim
