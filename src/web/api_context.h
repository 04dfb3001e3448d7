// ApiContext: what the JSON API, /metrics and /healthz routes need from the
// process that serves them: its database connections, the time, and live
// figures from the engine running beside the web server (if any).
// The routes copy what they need when registered; `live_stats` is called
// from the web server's worker threads, so it must be thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/input.h"
#include "core/money.h"

namespace imeiflow::web {

class ConnectionPool;
class WebContext;

/// Figures only the running engine knows (not in the database).
struct LiveEngineStats {
  std::optional<int> in_flight_limit;  ///< the dispatcher limiter's current limit
  std::optional<int> in_flight;        ///< supplier calls in flight now
};

/// Shared by RegisterApiRoutes and RegisterMetricsRoutes.
struct ApiContext {
  /// The server's one pool of database connections (each request leases
  /// one of its own); must outlive the server.
  ConnectionPool* connections = nullptr;
  /// The time source (audit rows, token last use); must outlive the server.
  const Clock* clock = nullptr;
  /// Live engine figures; may be empty when no engine runs in this process.
  std::function<LiveEngineStats()> live_stats;
  /// Most IMEIs one POST /api/v1/jobs may carry (more: 413): one job's limit.
  size_t max_job_imeis = kMaxJobEntries;
  /// Largest request body the API reads, in bytes (more: 413).
  size_t max_body_bytes = 20u << 20;
  /// spending.daily_cap of the configuration (the settings page may override it).
  std::optional<Money> configured_cap;
};

/// The context for the routes of the web application `web` (which must
/// outlive the server): its connection pool, clock and upload limit, and the
/// in-flight figures of the dispatcher it runs, while it runs.
ApiContext ApiContextFor(WebContext& web);

}  // namespace imeiflow::web
