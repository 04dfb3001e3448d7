// Catalogue: the services (GSM Fusion "packages") the simulated supplier sells.
//
// A built-in list of realistic services, or one loaded from a JSON file
// (`--services`): an array of {id, category, title, price, delivery, must_read}
// objects, plus an optional "kind" ("apple_check", "check" or "unlock"; guessed
// from the title when absent). Prices are exact decimals ("0.08" or 0.08).
// Immutable after construction: safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "core/money.h"
#include "core/status.h"

namespace imeiflow::sim {

/// What a completed order's `code` looks like.
enum class ServiceKind {
  kAppleCheck,    ///< Model / IMEI Number / Serial / Carrier / Find My iPhone / SimLock
  kGenericCheck,  ///< blacklist and brand info checks
  kUnlock,        ///< "Unlock Code: 12345678"
};

/// One service of the catalogue.
struct Service {
  std::string id;                                 ///< PackageId, the `networkId` of placeorder
  std::string category;                           ///< Category
  std::string title;                              ///< PackageTitle
  Money price;                                    ///< PackagePrice, per IMEI
  std::string delivery;                           ///< TimeTaken, e.g. "1-5 Minutes"
  std::string must_read;                          ///< MustRead (may hold HTML)
  ServiceKind kind = ServiceKind::kGenericCheck;  ///< shapes the result code
};

/// The list of services, looked up by id.
class Catalogue {
 public:
  /// About ten realistic services (Apple checks, GSMA blacklist, unlocks).
  static Catalogue BuiltIn();
  /// Parses a JSON catalogue; errors name the file and the entry.
  static Result<Catalogue> FromJson(const std::string& json_text, const std::string& origin);
  /// Reads and parses a JSON catalogue file.
  static Result<Catalogue> LoadFile(const std::string& path);

  /// Every service, in catalogue order.
  const std::vector<Service>& services() const { return services_; }
  /// The service with PackageId `id`, or nullptr.
  const Service* Find(const std::string& id) const;

 private:
  std::vector<Service> services_;
};

}  // namespace imeiflow::sim
