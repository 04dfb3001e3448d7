// Login and logout: GET/POST /login and POST /logout.
//
// The login form is protected against CSRF before any session exists by a
// double-submit token: GET /login sets a random `imeiflow_csrf` cookie and
// puts the same value in the form's hidden csrf_token; POST /login without
// both, equal, gets 403 and changes nothing. Failed logins are counted per
// user name and per client address (LoginThrottle); over the limit the
// answer is 429 with a page saying when to try again. Each login starts a
// fresh session (a new random id: no fixation); logout revokes it. Logins
// (ok and failed) and logouts are audited.
// Handlers run on the server's worker threads; state lives in WebContext.
#pragma once

#include "web/http.h"

#include "web/web_context.h"

namespace imeiflow::web {

/// The pre-session CSRF cookie of the login form.
inline constexpr std::string_view kLoginCsrfCookie = "imeiflow_csrf";

/// Registers /login and /logout.
void RegisterAuthRoutes(Router& server, WebContext& web);

}  // namespace imeiflow::web
