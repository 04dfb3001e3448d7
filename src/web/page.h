// Pages: how a route of the web application is registered, guarded and
// rendered. RouteGet / RoutePost wrap a handler so that it runs only for a
// valid session of a user whose role allows the page (else: 303 to /login
// for a GET, 403 for a POST; 403 for a role too low), that every POST
// carries the session's csrf_token (else 403, and the handler never runs),
// and that it gets its own database connection. PageRequest renders a
// template inside the layout (nav, flash messages, logout form), redirects
// with a flash message and shows error pages.
// Handlers run on the server's worker threads; a PageRequest belongs to one.
#pragma once

#include "web/http.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/role.h"
#include "core/status.h"
#include "store/database.h"
#include "web/renderer.h"
#include "web/session.h"
#include "web/web_context.h"

namespace imeiflow::web {

/// The name of the hidden field every state-changing form carries.
inline constexpr std::string_view kCsrfField = "csrf_token";

/// What a flash message reports.
enum class FlashKind { kOk, kWarning, kError };

/// One message shown once at the top of the next page.
struct Flash {
  FlashKind kind = FlashKind::kOk;  ///< its colour
  std::string text;                 ///< what happened, in numbers
};

/// What the guard decides about a request to a page.
enum class Access {
  kAllowed,        ///< run the handler
  kLoginRequired,  ///< GET without a session: 303 to /login?next=...
  kSessionEnded,   ///< POST without a session: 403
  kBadCsrf,        ///< POST whose csrf_token is missing or wrong: 403
  kForbidden,      ///< the user's role is too low: 403
};

/// The guard of every page: `session` is the request's valid session, if
/// any; `need` the least role the page needs; `post` whether the request
/// changes state; `csrf_field` the csrf_token the form sent.
Access CheckAccess(const std::optional<Session>& session, Role need, bool post,
                   std::string_view csrf_field);

/// One request to a page.
class PageRequest {
 public:
  /// `session` may be null (public pages such as /login).
  PageRequest(WebContext& web, const HttpRequest& request, HttpResponse& response,
              store::Database& db, const Session* session);

  WebContext& web;                  ///< shared state
  const HttpRequest& request;  ///< the request (path, matches, headers, files)
  HttpResponse& response;      ///< the response being built
  store::Database& db;              ///< this request's own connection

  /// Whether a user is logged in (always true in RouteGet/RoutePost handlers).
  bool has_session() const { return session_ != nullptr; }
  /// The logged-in user; only call when has_session().
  const Session& session() const { return *session_; }
  /// Unix ms now.
  int64_t now_ms() const { return web.NowMs(); }
  /// A form field (url-encoded or multipart) or query parameter; "" if absent.
  std::string Field(const std::string& name) const;

  /// Renders templates/<name>.mustache with `data` inside the layout, with
  /// the page title `title`, as the response (HTML, not cached).
  void Render(std::string_view name, std::string_view title, const TemplateData& data,
              int status = 200);
  /// 303 See Other to `location` (a path of this site).
  void Redirect(const std::string& location);
  /// 303 to `location`, showing `text` on the page it leads to.
  void RedirectWithFlash(const std::string& location, FlashKind kind, const std::string& text);
  /// An error page inside the layout with `status`.
  void ErrorPage(int status, std::string_view heading, std::string_view message);
  /// A 500 page for `status` (a failure of the store or a template), logged.
  void Fail(const Status& status);

 private:
  std::vector<Flash> TakeFlashes();
  const Session* session_;
};

/// A page handler.
using PageHandler = std::function<void(PageRequest&)>;

/// Registers GET `pattern` (an httplib regex, e.g. R"(/jobs/(\d+))") for
/// users with at least role `need`.
void RouteGet(Router& server, WebContext& web, const std::string& pattern, Role need,
              PageHandler handler);
/// Registers POST `pattern`: role `need` and a valid csrf_token required.
void RoutePost(Router& server, WebContext& web, const std::string& pattern, Role need,
               PageHandler handler);

/// Runs `handler` with a connection and the request's session if there is
/// one, without the guard (for /login and /logout, which check for themselves).
void ServeUnguarded(WebContext& web, const HttpRequest& request, HttpResponse& response,
                    const PageHandler& handler);

/// A whole error page (no database needed): for errors the server raises itself.
std::string ErrorPageHtml(const WebContext& web, int status, std::string_view heading,
                          std::string_view message);

/// Whether `next` is safe to redirect to after login: a path of this site
/// ("/..." but not "//..." or "/\...").
bool IsLocalPath(std::string_view next);

}  // namespace imeiflow::web
