// DhruCatalogue: the services a DHRU panel sells, with the fields they require,
// and the panel's model and network lists.
//
// Every service of the base Catalogue (built-in or --services) becomes a plain
// IMEI service in a group named by its category; two built-in services need
// fields: 4101 (a network unlock needing MODELID and PROVIDERID from the model
// and provider lists) and 4201 (custom fields: "Phone Model", a dropdown, and
// "Serial Number", a pattern). Immutable after construction: safe to share.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "sim/catalogue.h"
#include "sim/dhru_parameters.h"

namespace imeiflow::sim {

/// A custom field of a DHRU service (`Requires.Custom`).
struct DhruCustomField {
  std::string name;                  ///< fieldname, the key inside CUSTOMFIELD
  std::string type;                  ///< fieldtype: "text" or "dropdown"
  std::string description;           ///< shown to the person ordering
  std::vector<std::string> options;  ///< a dropdown's allowed values
  std::string pattern;               ///< a text field's regexpr (ECMAScript); empty: any
};

/// One DHRU service.
struct DhruService {
  Service service;                     ///< id, group (category), name, price, time
  bool requires_model = false;         ///< Requires.Mobile: MODELID from modellist
  bool requires_provider = false;      ///< Requires.Network: PROVIDERID from providerlist
  std::vector<DhruCustomField> custom; ///< Requires.Custom, every one required
};

/// An entry of modellist (a model) or providerlist (a network).
struct DhruListEntry {
  int id = 0;        ///< ID
  std::string name;  ///< NAME
};

/// A brand with its models, or a country with its networks.
struct DhruListGroup {
  int id = 0;                          ///< ID
  std::string name;                    ///< NAME
  std::vector<DhruListEntry> entries;  ///< MODELS or PROVIDERS
};

/// The panel's services and lists.
class DhruCatalogue {
 public:
  /// `base`'s services plus the built-in services with fields (a base
  /// service with the same id wins).
  explicit DhruCatalogue(const Catalogue& base);

  /// Every service, in catalogue order.
  const std::vector<DhruService>& services() const { return services_; }
  /// The service with SERVICEID `id`, or nullptr.
  const DhruService* Find(const std::string& id) const;
  /// Brands with models (models 5-7, 31-32).
  const std::vector<DhruListGroup>& models() const { return models_; }
  /// Countries with networks (networks 11-13, 21-22).
  const std::vector<DhruListGroup>& providers() const { return providers_; }

  /// Checks a placement's fields against `service`: "Missing required field:
  /// NAME" or "Invalid value for NAME: VALUE" (InvalidArgument) when wrong.
  Status CheckFields(const DhruService& service, const DhruParameterMap& parameters) const;

 private:
  std::vector<DhruService> services_;
  std::vector<DhruListGroup> models_;
  std::vector<DhruListGroup> providers_;
};

}  // namespace imeiflow::sim
