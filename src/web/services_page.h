// The services page: the cached catalogue of the supplier's services
// (title, category, price, delivery), filtered by a search box, and for
// operators a refresh button. The button only asks (engine/service_refresh.h,
// through EngineMonitor): the dispatcher thread of `imeiflow serve` lists the
// services in a slot of its limiter, replaces the cache and audits it; the
// page says whether a refresh waits and how the last one ended.
// Handlers run on the server's worker threads with their own connection; none
// calls the supplier.
#pragma once

#include "web/http.h"

#include <string_view>

#include "store/service_repository.h"
#include "web/web_context.h"

namespace imeiflow::web {

/// Whether `service` matches the search `query` (words separated by spaces
/// or '+', case ignored, each found in its id, title or category); an empty
/// query matches everything.
bool ServiceMatches(const store::CachedService& service, std::string_view query);

/// Registers GET /services (viewer+) and POST /services/refresh (operator+).
void RegisterServicesPage(Router& server, WebContext& web);

}  // namespace imeiflow::web
