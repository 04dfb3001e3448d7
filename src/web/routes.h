// Every route group of the web application, registered in one place so a
// new page group is one line here (and its own file).
// Called once, before the server runs.
#pragma once

#include "web/http.h"

#include "web/web_context.h"

namespace imeiflow::web {

/// Registers every page, the static assets, the JSON API, /metrics and /healthz.
void RegisterRoutes(Router& server, WebContext& web);

}  // namespace imeiflow::web
