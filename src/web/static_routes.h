// Static assets (/static/app.css, /static/app.js) served from the files
// embedded in the program; they need no session. (/healthz belongs to the
// API's routes.) Handlers run on httplib's worker threads; they only read
// data compiled into the program.
#pragma once

#include <httplib.h>

namespace imeiflow::web {

/// Registers /static/*.
void RegisterStaticRoutes(httplib::Server& server);

}  // namespace imeiflow::web
