// The services page: the cached catalogue of the supplier's services
// (title, category, price, delivery), filtered by a search box, and for
// operators a refresh button that lists the services from the supplier
// (engine/service_cache.h over upstream/supplier_connection.h) and replaces
// the cache, flashing the numbers. The refresh is audited.
// Handlers run on the server's worker threads with their own connection; the
// refresh makes a blocking supplier call on the handler's thread.
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
