// RefreshServiceCache: fetches the supplier's IMEI services and replaces the
// cached catalogue (`services --refresh`, the /services page, and `submit` when the service asked
// for is not cached yet). Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "store/service_repository.h"
#include "upstream/provider.h"

namespace imeiflow::engine {

/// The services to cache of those `listed`: those whose price the supplier
/// did not give as a number are left out, each named in `warnings`.
std::vector<store::CachedService> CachedServicesOf(const std::vector<upstream::Service>& listed,
                                                   std::vector<std::string>* warnings);

/// Replaces the cache with `services`; those whose price the supplier did
/// not give as a number are left out, each named in `warnings`. Returns how
/// many were stored.
Result<size_t> StoreServices(const std::vector<upstream::Service>& services,
                             store::ServiceRepository& cache, int64_t now_ms,
                             std::vector<std::string>* warnings);

/// Lists the services through `provider` and stores them; services whose
/// price the supplier did not give as a number are left out, each named in
/// `warnings`. Returns how many were stored.
Result<size_t> RefreshServiceCache(upstream::Provider& provider, store::ServiceRepository& cache,
                                   int64_t now_ms, std::vector<std::string>* warnings);

}  // namespace imeiflow::engine
