#include "sim/dhru_catalogue.h"

#include <algorithm>
#include <regex>

namespace imeiflow::sim {
namespace {

bool InGroups(const std::vector<DhruListGroup>& groups, const std::string& value) {
  for (const DhruListGroup& g : groups) {
    for (const DhruListEntry& e : g.entries) {
      if (std::to_string(e.id) == value) return true;
    }
  }
  return false;
}

Status Missing(const std::string& name) {
  return Status::InvalidArgument("Missing required field: " + name);
}

Status Invalid(const std::string& name, const std::string& value) {
  return Status::InvalidArgument("Invalid value for " + name + ": " + value);
}

}  // namespace

DhruCatalogue::DhruCatalogue(const Catalogue& base) {
  for (const Service& s : base.services()) services_.push_back({s, false, false, {}});
  DhruService network_unlock;
  network_unlock.service = {"4101",
                            "Network Unlock (model + network)",
                            "Worldwide Network Unlock - by model and network",
                            Money::FromCents(1500),
                            "1-3 Days",
                            "Choose the phone model and the network it is locked to.",
                            ServiceKind::kUnlock};
  network_unlock.requires_model = true;
  network_unlock.requires_provider = true;
  DhruService activation;
  activation.service = {"4201",
                        "Apple Services",
                        "iPhone Activation Lock Status - with model and serial",
                        Money::FromCents(120),
                        "1-24 Hours",
                        "Serial number: 10-12 capital letters or digits.",
                        ServiceKind::kAppleCheck};
  activation.custom = {
      {"Phone Model", "dropdown", "The model", {"iPhone 12", "iPhone 13", "iPhone 14"}, ""},
      {"Serial Number", "text", "10-12 capital letters or digits", {}, "^[A-Z0-9]{10,12}$"}};
  for (const DhruService& extra : {network_unlock, activation}) {
    if (Find(extra.service.id) == nullptr) services_.push_back(extra);
  }
  models_ = {{1, "Apple", {{5, "iPhone 12"}, {6, "iPhone 13"}, {7, "iPhone 14"}}},
             {3, "Samsung", {{31, "Galaxy S22"}, {32, "Galaxy S23"}}}};
  providers_ = {{1, "United States", {{11, "AT&T"}, {12, "T-Mobile"}, {13, "Verizon"}}},
                {2, "United Kingdom", {{21, "EE"}, {22, "Vodafone"}}}};
}

const DhruService* DhruCatalogue::Find(const std::string& id) const {
  auto it = std::find_if(services_.begin(), services_.end(),
                         [&](const DhruService& s) { return s.service.id == id; });
  return it == services_.end() ? nullptr : &*it;
}

Status DhruCatalogue::CheckFields(const DhruService& service,
                                  const DhruParameterMap& parameters) const {
  auto value_of = [&](const char* key) {
    auto it = parameters.find(key);
    return it == parameters.end() ? std::string() : it->second;
  };
  if (service.requires_model) {
    std::string model = value_of("MODELID");
    if (model.empty()) return Missing("MODELID");
    if (!InGroups(models_, model)) return Invalid("MODELID", model);
  }
  if (service.requires_provider) {
    std::string provider = value_of("PROVIDERID");
    if (provider.empty()) return Missing("PROVIDERID");
    if (!InGroups(providers_, provider)) return Invalid("PROVIDERID", provider);
  }
  if (service.custom.empty()) return Status::Ok();
  std::map<std::string, std::string> custom;
  if (std::string encoded = value_of("CUSTOMFIELD"); !encoded.empty()) {
    auto decoded = DecodeCustomFields(encoded);
    if (!decoded.ok()) return decoded.status();
    custom = std::move(*decoded);
  }
  for (const DhruCustomField& field : service.custom) {
    auto it = custom.find(field.name);
    if (it == custom.end() || it->second.empty()) return Missing(field.name);
    const std::string& value = it->second;
    bool allowed = field.options.empty() ||
                   std::find(field.options.begin(), field.options.end(), value) !=
                       field.options.end();
    if (allowed && !field.pattern.empty()) {
      allowed = std::regex_match(value, std::regex(field.pattern));
    }
    if (!allowed) return Invalid(field.name, value);
  }
  return Status::Ok();
}

}  // namespace imeiflow::sim
