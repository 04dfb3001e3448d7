// The submit pages: GET /submit (paste or upload IMEIs, pick a cached
// service, recheck), POST /submit/preview (what would be ordered: valid,
// invalid with line numbers and reasons, already ordered, rejected before
// with the top reasons, estimated cost, today's spend against the cap: all
// from store::PreviewSubmission) and POST /jobs (confirm: creates the job
// through store::SubmitJob, the path the CLI and the API share, leaving out
// the IMEIs rejected before when its checkbox is ticked, the default; then
// 303 to /jobs/{id} with a flash in numbers); POST /submit/edit (Back: the
// form again with what was pasted, service and recheck). Operator and above.
// Registration only; the handlers run on the server's worker threads.
#pragma once

#include "web/http.h"

#include "web/web_context.h"

namespace imeiflow::web {

/// Registers /submit, /submit/preview, /submit/edit and POST /jobs.
void RegisterSubmitRoutes(Router& server, WebContext& web);

}  // namespace imeiflow::web
