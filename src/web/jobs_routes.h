// The job pages: GET /jobs (every job, newest first, paged, with progress
// bars), GET /jobs/{id} (progress, counts per item state, rate, ETA, the
// items paged, cancel / retry failed / export), POST /jobs/{id}/cancel and
// /jobs/{id}/retry (operator; audited), and GET /jobs/{id}/events: the
// job's progress as server-sent events every half second until the job is
// finished, the client goes away, the server stops or kMaxStreamSeconds
// pass (the browser's EventSource then reconnects). Between two events a
// stream holds no thread (web/http.h, EventStream). Registration only;
// handlers run on the server's worker threads.
#pragma once

#include "web/http.h"

#include "web/web_context.h"

namespace imeiflow::web {

/// How long one event stream lasts at most before the browser reconnects.
inline constexpr int kMaxStreamSeconds = 120;

/// Registers /jobs, /jobs/{id}, /jobs/{id}/cancel, /jobs/{id}/retry, /jobs/{id}/events.
void RegisterJobsRoutes(Router& server, WebContext& web);

}  // namespace imeiflow::web
