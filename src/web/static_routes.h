// Static assets (/static/app.css, /static/app.js, and /favicon.ico where
// browsers look for it) served from the files embedded in the program; they
// need no session. (/healthz belongs to the
// API's routes.) Handlers run on the server's worker threads; they only read
// data compiled into the program.
#pragma once

#include "web/http.h"

namespace imeiflow::web {

/// Registers /static/* and /favicon.ico.
void RegisterStaticRoutes(Router& server);

}  // namespace imeiflow::web
