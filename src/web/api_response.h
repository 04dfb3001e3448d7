// How the JSON API answers: JSON bodies (invalid UTF-8 from the supplier's
// text replaced, never a failure), errors as {"error": "..."} with the HTTP
// status that fits the Status code, and a hook for the server's error
// handler so that nothing under /api/ is ever answered with an HTML page.
// Stateless functions: safe from any thread.
#pragma once

#include "web/http.h"

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/status.h"

namespace imeiflow::web {

/// The API's path prefix.
inline constexpr std::string_view kApiPrefix = "/api/";

/// The HTTP status for a failed `status`: 400 invalid argument, 404 not
/// found, 413 too large, 403 permission denied, 503 unavailable, else 500.
int HttpStatusFor(const Status& status);

/// Answers `body` as JSON with HTTP `status`.
void SendJson(HttpResponse& res, int status, const nlohmann::json& body);

/// Answers {"error": message} with HTTP `status`; a 401 also names the
/// Bearer scheme (WWW-Authenticate).
void SendError(HttpResponse& res, int status, std::string_view message);

/// Answers the error for `status`. A server-side failure (500) is logged
/// and answered without its detail.
void SendStatus(HttpResponse& res, const Status& status);

/// For the web server's error path (an answer with a status >= 400): under
/// /api/ keeps the JSON error a route wrote, or writes one for errors the
/// server raised itself (e.g. 413 when a body exceeds the upload limit), and
/// returns true; for any other path returns false, leaving the page to the
/// caller. `body_limit_bytes` is the server's limit, named in a 413.
bool HandleApiError(const HttpRequest& req, HttpResponse& res, size_t body_limit_bytes);

}  // namespace imeiflow::web
