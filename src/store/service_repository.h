// ServiceRepository: the cached catalogue of the supplier's services and
// their prices, so a submission can show its cost without a supplier call.
// Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// One service as cached.
struct CachedService {
  std::string id;          ///< the supplier's PackageId
  std::string category;    ///< e.g. "Apple iPhone Checks"
  std::string title;       ///< e.g. "iPhone Carrier + FMI + SimLock Check"
  Money price;             ///< per IMEI
  std::string delivery;    ///< e.g. "1-5 Minutes"
  std::string must_read;   ///< the supplier's notes
  int64_t fetched_at = 0;  ///< Unix ms of the refresh that stored it
};

/// Who replaced the cache, for its audit row.
struct ServicesAudit {
  std::string actor;   ///< who asked
  std::string detail;  ///< what people read, e.g. "Services refreshed: 12 cached"
};

/// The services cache.
class ServiceRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit ServiceRepository(Database& db) : db_(db) {}

  /// Replaces the whole cache with `services` in one transaction, which also
  /// writes the `services_refresh` audit row when `audit` is given.
  Status ReplaceAll(const std::vector<CachedService>& services, int64_t now_ms,
                    const std::optional<ServicesAudit>& audit = std::nullopt);
  /// Every cached service, by category then title.
  Result<std::vector<CachedService>> List();
  /// Service id -> title of every cached service (for export's SERVICE column).
  Result<std::map<std::string, std::string>> Titles();
  /// The service `id`; NotFound names it and says how to refresh.
  Result<CachedService> Find(const std::string& id);

 private:
  Database& db_;
};

}  // namespace imeiflow::store
