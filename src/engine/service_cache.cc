#include "engine/service_cache.h"

#include <fmt/format.h>

namespace imeiflow::engine {

std::vector<store::CachedService> CachedServicesOf(const std::vector<upstream::Service>& listed,
                                                   std::vector<std::string>* warnings) {
  std::vector<store::CachedService> services;
  for (const upstream::Service& s : listed) {
    if (!s.price) {
      if (warnings != nullptr) {
        warnings->push_back(fmt::format("service {} left out: its price \"{}\" is not a number",
                                        s.id, s.price_text));
      }
      continue;
    }
    services.push_back({s.id, s.category, s.title, *s.price, s.delivery, s.must_read, 0});
  }
  return services;
}

Result<size_t> StoreServices(const std::vector<upstream::Service>& listed,
                             store::ServiceRepository& cache, int64_t now_ms,
                             std::vector<std::string>* warnings) {
  std::vector<store::CachedService> services = CachedServicesOf(listed, warnings);
  if (Status st = cache.ReplaceAll(services, now_ms); !st.ok()) return st;
  return services.size();
}

Result<size_t> RefreshServiceCache(upstream::Provider& provider, store::ServiceRepository& cache,
                                   int64_t now_ms, std::vector<std::string>* warnings) {
  upstream::ServicesResult listed = provider.ListServicesBlocking();
  if (listed.verdict.call_class != upstream::CallClass::kApplied) {
    return Status::Unavailable("cannot list the supplier's services: " + listed.verdict.message);
  }
  return StoreServices(listed.services, cache, now_ms, warnings);
}

}  // namespace imeiflow::engine
