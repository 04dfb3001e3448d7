// /metrics (Prometheus text exposition format 0.0.4) and /healthz.
//
// /metrics reads the database on each scrape: supplier calls by outcome,
// a histogram of supplier call latency, items by state, orders by status,
// orders whose result arrived, and the dispatcher's in-flight limit when an
// engine runs in this process (ApiContext::live_stats). It needs a bearer
// token of any role, like the API (Prometheus: `authorization:
// credentials_file:`), so that nothing but /healthz and the login page is
// open. /healthz needs nothing: 200 "ok" when the database answers, else
// 503. Handlers run on the server's worker threads with pooled connections.
#pragma once

#include "web/http.h"

#include <cstdint>
#include <span>
#include <string>

#include "core/status.h"
#include "store/database.h"
#include "web/api_context.h"

namespace imeiflow::web {

/// Upper bounds (milliseconds) of the latency histogram's buckets, +Inf aside.
std::span<const int64_t> LatencyBucketsMs();

/// The metrics text from `db` and `live`.
Result<std::string> MetricsText(store::Database& db, const LiveEngineStats& live);

/// Registers GET /metrics and GET /healthz on `server`; `ctx` is copied.
void RegisterMetricsRoutes(Router& server, const ApiContext& ctx);

}  // namespace imeiflow::web
