#include "web/api_context.h"

#include "web/web_context.h"

namespace imeiflow::web {

ApiContext ApiContextFor(WebContext& web) {
  ApiContext ctx;
  ctx.database_path = web.db_path;
  ctx.clock = &web.clock;
  ctx.live_stats = [&web] {
    DispatcherStatus dispatcher = web.live.Dispatcher();
    if (dispatcher.state != DispatcherState::kRunning) return LiveEngineStats{};
    return LiveEngineStats{dispatcher.stats.limit, dispatcher.stats.in_flight};
  };
  return ctx;
}

}  // namespace imeiflow::web
