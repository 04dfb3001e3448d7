#include "web/auth_routes.h"

#include <fmt/format.h>

#include "store/session_repository.h"
#include "store/user_repository.h"
#include "web/cookies.h"
#include "web/crypto.h"
#include "web/page.h"
#include "web/password.h"
#include "web/session.h"

namespace imeiflow::web {
namespace {

// What an audit row or a throttle key keeps of a user name someone typed.
constexpr size_t kMaxTypedName = 64;

std::string SafeNext(const std::string& next) { return IsLocalPath(next) ? next : "/"; }

// Renders the login form with a CSRF token, reusing the browser's current
// one so several open login tabs all stay valid.
void ShowLoginForm(PageRequest& page, const std::string& next, const std::string& username,
                   const std::string& error, int status) {
  std::optional<std::string> cookie = CookieValue(page.request, kLoginCsrfCookie);
  std::string token = cookie && IsWellFormedId(*cookie) ? *cookie : RandomHexId();
  if (!cookie || *cookie != token) {
    page.response.AddHeader("Set-Cookie",
                             SetCookieValue(kLoginCsrfCookie, token, page.web.secure_cookies));
  }
  TemplateData data;
  data.set("csrf_token", token);
  data.set("next", next);
  data.set("username", username);
  if (!error.empty()) data.set("error", error);
  page.Render("login", "Log in", data, status);
}

// A user name shortened for the audit log and the throttle.
std::string TypedName(std::string name) {
  if (name.size() > kMaxTypedName) name.resize(kMaxTypedName);
  return name;
}

std::string MinutesText(int64_t ms) {
  int64_t minutes = (ms + 59'999) / 60'000;
  return minutes == 1 ? "1 minute" : fmt::format("{} minutes", minutes);
}

void PostLogin(PageRequest& page) {
  WebContext& web = page.web;
  std::string next = SafeNext(page.Field("next"));
  std::string username = TypedName(page.Field("username"));
  std::optional<std::string> cookie = CookieValue(page.request, kLoginCsrfCookie);
  std::string field = page.Field(std::string(kCsrfField));
  if (!cookie || !IsWellFormedId(*cookie) || !SecureEquals(*cookie, field)) {
    return page.ErrorPage(403, "Form expired",
                          "The login form was not sent from a current imeiflow page (its "
                          "security token is missing or wrong). Nothing was changed: open the "
                          "login page again.");
  }
  const std::string& address = page.request.remote_addr;
  const int64_t now = page.now_ms();
  // Counted as a failure before the password is checked (row 4 of issue 11).
  if (int64_t wait = web.login_throttle.ReserveAttempt(username, address, now); wait > 0) {
    page.response.SetHeader("Retry-After", std::to_string((wait + 999) / 1000));
    return page.ErrorPage(429, "Too many failed logins",
                          fmt::format("Too many wrong passwords for this user or from this "
                                      "address. Try again in {}.",
                                      MinutesText(wait)));
  }
  store::UserRepository users(page.db);
  Result<std::optional<store::UserRecord>> user = users.FindByName(username);
  if (!user.ok()) return page.Fail(user.status());
  bool known = user->has_value() && !(*user)->disabled();
  // Unknown users cost a verification too, so timing does not reveal names.
  static const std::string kDecoy = [&web] {
    Result<std::string> hash = HashPassword("decoy password", web.password_cost);
    return hash.ok() ? *hash : std::string();
  }();
  bool ok =
      VerifyPassword(known ? (*user)->password_hash : kDecoy, page.Field("password")) && known;
  if (!ok) {
    Status audited = store::SessionRepository(page.db).RecordFailedLogin(username, address, now);
    if (!audited.ok()) return page.Fail(audited);
    return ShowLoginForm(page, next, username, "Wrong user name or password.", 200);
  }
  web.login_throttle.RecordSuccess(username, address, now);
  Result<StartedSession> started = StartSession(page.db, **user, address, now);
  if (!started.ok()) return page.Fail(started.status());
  page.response.AddHeader("Set-Cookie",
                           SetCookieValue(kSessionCookie, started->cookie_id, web.secure_cookies));
  page.response.AddHeader("Set-Cookie", SetCookieValue(kLoginCsrfCookie, "", web.secure_cookies,
                                                        CookieLifetime{.max_age_s = 0}));
  page.Redirect(next);
}

void PostLogout(PageRequest& page) {
  if (!page.has_session()) {
    return page.ErrorPage(403, "You are not logged in",
                          "There is no session to end: your session has already ended.");
  }
  if (!SecureEquals(page.Field(std::string(kCsrfField)), page.session().csrf_token)) {
    return page.ErrorPage(403, "Form expired",
                          "The logout form was not sent from a current imeiflow page. You are "
                          "still logged in: reload the page and try again.");
  }
  if (Status s = EndSession(page.db, page.session(), page.now_ms()); !s.ok()) return page.Fail(s);
  page.response.AddHeader("Set-Cookie", SetCookieValue(kSessionCookie, "", page.web.secure_cookies,
                                                        CookieLifetime{.max_age_s = 0}));
  page.RedirectWithFlash("/login", FlashKind::kOk, "You are logged out.");
}

}  // namespace

void RegisterAuthRoutes(Router& server, WebContext& web) {
  server.Get("/login", [&web](const HttpRequest& request, HttpResponse& response) {
    ServeUnguarded(web, request, response, [](PageRequest& page) {
      std::string next = SafeNext(page.Field("next"));
      if (page.has_session()) return page.Redirect(next);
      ShowLoginForm(page, next, "", "", 200);
    });
  });
  server.Post("/login", [&web](const HttpRequest& request, HttpResponse& response) {
    ServeUnguarded(web, request, response, PostLogin);
  });
  server.Post("/logout", [&web](const HttpRequest& request, HttpResponse& response) {
    ServeUnguarded(web, request, response, PostLogout);
  });
}

}  // namespace imeiflow::web
