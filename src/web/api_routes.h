// The JSON API under /api/v1 (docs/API.md): jobs, orders, services.
//
// Every request carries `Authorization: Bearer <token>` (401 without a
// valid one); viewers may read, submitting needs the operator role (403).
// Every answer is JSON, errors as {"error": "..."} with a fitting status
// (400, 401, 403, 404, 405, 413, 500, 503). Handlers run on the server's
// worker threads, each with a database connection of its own from a pool.
// The server should run with set_tcp_nodelay(true): with Nagle's algorithm
// on, every small answer waits ~40 ms for the client's delayed ACK
// (docs/BENCHMARKS.md, "Web under load").
#pragma once

#include "web/http.h"

#include "web/api_context.h"

namespace imeiflow::web {

/// Registers the /api/v1 routes, plus catch-alls that answer unknown /api/
/// paths with JSON 404 (or 405 for a known path with another method), on
/// `server`. `ctx` is copied; its clock must outlive the server. The
/// server's error handler should call HandleApiError (api_response.h) first.
void RegisterApiRoutes(Router& server, const ApiContext& ctx);

}  // namespace imeiflow::web
