#include "web/routes.h"

#include "web/api_context.h"
#include "web/api_routes.h"
#include "web/auth_routes.h"
#include "web/dashboard.h"
#include "web/metrics.h"
#include "web/static_routes.h"

namespace imeiflow::web {
namespace {

// What the JSON API and /metrics need, taken from the pages' context: the
// same database, clock, body limit, and the engine's live figures.
ApiContext ApiContextFor(WebContext& web) {
  ApiContext api;
  api.database_path = web.db_path;
  api.clock = &web.clock;
  api.max_body_bytes = size_t(web.config.web.upload_limit_mb) << 20;
  const EngineMonitor* engine = &web.engine;
  api.live_stats = [engine] {
    LiveStats live;
    DispatcherStatus dispatcher = engine->Dispatcher();
    if (dispatcher.state == DispatcherState::kRunning) {
      live.in_flight_limit = dispatcher.stats.limit;
      live.in_flight = dispatcher.stats.in_flight;
    }
    return live;
  };
  return api;
}

}  // namespace

void RegisterRoutes(httplib::Server& server, WebContext& web) {
  RegisterStaticRoutes(server);
  RegisterAuthRoutes(server, web);
  RegisterDashboardRoutes(server, web);
  const ApiContext api = ApiContextFor(web);
  RegisterApiRoutes(server, api);
  RegisterMetricsRoutes(server, api);
}

}  // namespace imeiflow::web
