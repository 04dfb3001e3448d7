#include "web/page.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "web/cookies.h"
#include "web/crypto.h"
#include "web/http_parse.h"

namespace imeiflow::web {
namespace {

constexpr std::string_view kFlashCookie = "imeiflow_flash";
constexpr const char* kHtml = "text/html; charset=utf-8";

/// One entry of the main navigation, shown to users with at least `need`.
struct NavItem {
  const char* href;
  const char* label;
  Role need;
};

constexpr NavItem kNav[] = {
    {"/", "Dashboard", Role::kViewer},        {"/submit", "Submit", Role::kOperator},
    {"/jobs", "Jobs", Role::kViewer},         {"/orders", "Orders", Role::kViewer},
    {"/services", "Services", Role::kViewer}, {"/import", "Import", Role::kOperator},
    {"/review", "Review", Role::kOperator},   {"/admin", "Admin", Role::kAdmin},
    {"/settings", "Settings", Role::kAdmin},
};

bool IsCurrent(std::string_view href, std::string_view path) {
  if (href == "/") return path == "/";
  return path == href ||
         (path.starts_with(href) && path.size() > href.size() && path[href.size()] == '/');
}

const char* FlashKindName(FlashKind kind) {
  switch (kind) {
    case FlashKind::kOk:
      return "ok";
    case FlashKind::kWarning:
      return "warning";
    case FlashKind::kError:
      return "error";
  }
  return "ok";
}

FlashKind FlashKindFrom(std::string_view name) {
  if (name == "warning") return FlashKind::kWarning;
  if (name == "error") return FlashKind::kError;
  return FlashKind::kOk;
}

// The layout around already-rendered `content`.
Result<std::string> RenderLayout(const WebContext& web, std::string_view path,
                                 const Session* session, std::string_view title,
                                 const std::string& content, const std::vector<Flash>& flashes) {
  TemplateData data;
  data.set("title", std::string(title));
  data.set("asset_version", web.asset_version);
  data.set("content", content);
  if (session != nullptr) {
    TemplateData user;
    user.set("name", session->user_name);
    user.set("role", std::string(RoleName(session->role)));
    user.set("csrf_token", session->csrf_token);
    data.set("user", user);
    TemplateData nav{TemplateData::type::list};
    for (const NavItem& item : kNav) {
      if (!Allows(session->role, item.need)) continue;
      TemplateData entry;
      entry.set("href", item.href);
      entry.set("label", item.label);
      entry.set("current", IsCurrent(item.href, path));
      nav.push_back(entry);
    }
    data.set("nav", nav);
  }
  TemplateData list{TemplateData::type::list};
  for (const Flash& flash : flashes) {
    TemplateData entry;
    entry.set("kind", FlashKindName(flash.kind));
    entry.set("text", flash.text);
    list.push_back(entry);
  }
  data.set("flashes", list);
  return web.renderer.Render("layout", data);
}

std::string ErrorContent(const WebContext& web, std::string_view heading,
                         std::string_view message) {
  TemplateData data;
  data.set("heading", std::string(heading));
  data.set("message", std::string(message));
  data.set("back_href", "/");
  data.set("back_label", "Back to the dashboard");
  Result<std::string> html = web.renderer.Render("error", data);
  return html.ok() ? *html : std::string();
}

void NoStore(HttpResponse& response) { response.SetHeader("Cache-Control", "no-store"); }

}  // namespace

Access CheckAccess(const std::optional<Session>& session, Role need, bool post,
                   std::string_view csrf_field) {
  if (!session) return post ? Access::kSessionEnded : Access::kLoginRequired;
  if (post && (csrf_field.empty() || !SecureEquals(csrf_field, session->csrf_token))) {
    return Access::kBadCsrf;
  }
  if (!Allows(session->role, need)) return Access::kForbidden;
  return Access::kAllowed;
}

bool IsLocalPath(std::string_view next) {
  if (next.empty() || next[0] != '/') return false;
  // Browsers drop tabs and newlines inside a URL ("/\t/host" becomes
  // "//host", another site) and read a backslash as a slash.
  for (char c : next) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') return false;
  }
  return next.size() == 1 || next[1] != '/';
}

PageRequest::PageRequest(WebContext& web, const HttpRequest& request,
                         HttpResponse& response, store::Database& db, const Session* session)
    : web(web), request(request), response(response), db(db), session_(session) {}

std::string PageRequest::Field(const std::string& name) const { return request.Param(name); }

std::vector<Flash> PageRequest::TakeFlashes() {
  std::optional<std::string> cookie = CookieValue(request, kFlashCookie);
  if (!cookie || cookie->empty()) return {};
  response.AddHeader("Set-Cookie", SetCookieValue(kFlashCookie, "", web.secure_cookies,
                                                   CookieLifetime{.max_age_s = 0}));
  std::optional<std::string> text = CookieTextDecode(*cookie);
  size_t colon = text ? text->find(':') : std::string::npos;
  if (colon == std::string::npos) return {};
  return {Flash{FlashKindFrom(std::string_view(*text).substr(0, colon)), text->substr(colon + 1)}};
}

void PageRequest::Render(std::string_view name, std::string_view title, const TemplateData& data,
                         int status) {
  Result<std::string> content = web.renderer.Render(name, data);
  if (!content.ok()) return Fail(content.status());
  Result<std::string> page =
      RenderLayout(web, request.path, session_, title, *content, TakeFlashes());
  if (!page.ok()) return Fail(page.status());
  response.status = status;
  NoStore(response);
  response.SetContent(*page, kHtml);
}

void PageRequest::Redirect(const std::string& location) {
  response.status = 303;
  response.SetHeader("Location", location);
}

void PageRequest::RedirectWithFlash(const std::string& location, FlashKind kind,
                                    const std::string& text) {
  std::string value = CookieTextEncode(fmt::format("{}:{}", FlashKindName(kind), text));
  response.AddHeader("Set-Cookie", SetCookieValue(kFlashCookie, value, web.secure_cookies,
                                                   CookieLifetime{.max_age_s = 300}));
  Redirect(location);
}

void PageRequest::ErrorPage(int status, std::string_view heading, std::string_view message) {
  Result<std::string> page =
      RenderLayout(web, request.path, session_, heading, ErrorContent(web, heading, message), {});
  response.status = status;
  NoStore(response);
  if (!page.ok()) {
    response.SetContent(fmt::format("{}: {}", heading, message), "text/plain; charset=utf-8");
    return;
  }
  response.SetContent(*page, kHtml);
}

void PageRequest::Fail(const Status& status) {
  spdlog::error("{} {}: {}", EscapeForLog(request.method), EscapeForLog(request.path), status.message());
  ErrorPage(500, "Something went wrong",
            fmt::format("The server could not complete this request: {}", status.message()));
}

void ServeUnguarded(WebContext& web, const HttpRequest& request, HttpResponse& response,
                    const PageHandler& handler) {
  Result<ConnectionPool::Lease> db = web.connections.Acquire();
  if (!db.ok()) {
    spdlog::error("{} {}: {}", EscapeForLog(request.method), EscapeForLog(request.path),
                  db.status().message());
    response.status = 503;
    response.SetContent(ErrorPageHtml(web, 503, "Database unavailable", db.status().message()),
                         kHtml);
    return;
  }
  std::optional<Session> session;
  if (std::optional<std::string> cookie = CookieValue(request, kSessionCookie)) {
    Result<std::optional<Session>> loaded =
        LoadSession(**db, *cookie, web.session_limits, web.NowMs());
    if (!loaded.ok()) {
      PageRequest page(web, request, response, **db, nullptr);
      return page.Fail(loaded.status());
    }
    session = std::move(*loaded);
  }
  PageRequest page(web, request, response, **db, session ? &*session : nullptr);
  handler(page);
}

namespace {

void Guarded(WebContext& web, const HttpRequest& request, HttpResponse& response,
             Role need, bool post, const PageHandler& handler) {
  ServeUnguarded(web, request, response, [&](PageRequest& page) {
    std::optional<Session> session;
    if (page.has_session()) session = page.session();
    // The token is read from the body only: one in the query string would
    // travel in links, logs and Referer headers.
    const std::string csrf = post ? request.FormField(std::string(kCsrfField)) : "";
    switch (CheckAccess(session, need, post, csrf)) {
      case Access::kAllowed:
        return handler(page);
      case Access::kLoginRequired:
        return page.Redirect("/login?next=" + PercentEncode(request.target));
      case Access::kSessionEnded:
        return page.ErrorPage(403, "Your session has ended",
                              "Log in again, then send the form once more.");
      case Access::kBadCsrf:
        return page.ErrorPage(403, "Form expired",
                              "This form was not sent from a current page of imeiflow "
                              "(its security token is missing or wrong). Nothing was changed: "
                              "reload the page and try again.");
      case Access::kForbidden:
        return page.ErrorPage(403, "Not allowed",
                              fmt::format("This page needs the {} role; you are {}.",
                                          RoleName(need), RoleName(session->role)));
    }
  });
}

}  // namespace

void RouteGet(Router& server, WebContext& web, const std::string& pattern, Role need,
              PageHandler handler) {
  server.Get(pattern, [&web, need, handler = std::move(handler)](const HttpRequest& request,
                                                                 HttpResponse& response) {
    Guarded(web, request, response, need, false, handler);
  });
}

void RoutePost(Router& server, WebContext& web, const std::string& pattern, Role need,
               PageHandler handler) {
  server.Post(pattern, [&web, need, handler = std::move(handler)](const HttpRequest& request,
                                                                  HttpResponse& response) {
    Guarded(web, request, response, need, true, handler);
  });
}

std::string ErrorPageHtml(const WebContext& web, int status, std::string_view heading,
                          std::string_view message) {
  Result<std::string> page =
      RenderLayout(web, "", nullptr, heading, ErrorContent(web, heading, message), {});
  if (page.ok()) return *page;
  return fmt::format("<!doctype html><title>{}</title><h1>{}</h1>", status, status);
}

}  // namespace imeiflow::web
