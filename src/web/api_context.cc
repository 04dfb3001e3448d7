#include "web/api_context.h"

#include "web/web_context.h"

namespace imeiflow::web {

ApiContext ApiContextFor(WebContext& web) {
  ApiContext ctx;
  ctx.connections = &web.connections;
  ctx.clock = &web.clock;
  // The API reads bodies up to the pages' upload limit.
  ctx.max_body_bytes = size_t(web.config.web.upload_limit_mb) << 20;
  // Checked when the configuration was loaded: a bad value cannot get here.
  if (Result<std::optional<Money>> cap = web.config.spending.DailyCap(); cap.ok()) {
    ctx.configured_cap = *cap;
  }
  ctx.live_stats = [&web] {
    DispatcherStatus dispatcher = web.engine.Dispatcher();
    if (dispatcher.state != DispatcherState::kRunning) return LiveEngineStats{};
    return LiveEngineStats{dispatcher.stats.limit, dispatcher.stats.in_flight};
  };
  return ctx;
}

}  // namespace imeiflow::web
