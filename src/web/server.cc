#include "web/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <exception>

#include "web/api_response.h"
#include "web/http_parse.h"
#include "web/page.h"
#include "web/routes.h"

namespace imeiflow::web {
namespace {

constexpr const char* kHtml = "text/html; charset=utf-8";

std::string MiB(size_t bytes) { return fmt::format("{} MB", bytes >> 20); }

}  // namespace

Status ParseListen(std::string_view listen, ServerOptions& options) {
  size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return Status::InvalidArgument(
        fmt::format("listen address \"{}\": expected HOST:PORT, e.g. 127.0.0.1:8080", listen));
  }
  std::string_view host = listen.substr(0, colon);
  std::string_view port_text = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = -1;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 0 || port > 65535 ||
      host.empty()) {
    return Status::InvalidArgument(fmt::format(
        "listen address \"{}\": expected HOST:PORT with a port from 0 to 65535", listen));
  }
  options.host = std::string(host);
  options.port = port;
  return Status::Ok();
}

Result<ServerOptions> ServerOptionsFromConfig(const Config& config) {
  ServerOptions options;
  if (Status s = ParseListen(config.web.listen, options); !s.ok()) {
    return Status::InvalidArgument("web.listen: " + s.message());
  }
  options.tls_cert = config.web.tls_cert;
  options.tls_key = config.web.tls_key;
  options.upload_limit_bytes = size_t(config.web.upload_limit_mb) << 20;
  return options;
}

Result<std::unique_ptr<Server>> Server::Create(WebContext& web, ServerOptions options) {
  std::unique_ptr<Server> server(new Server(web, std::move(options)));
  RegisterRoutes(server->router_, web);
  HttpServerOptions http;
  http.host = server->options_.host;
  http.port = server->options_.port;
  http.tls_cert = server->options_.tls_cert;
  http.tls_key = server->options_.tls_key;
  http.body_limit_bytes = server->options_.upload_limit_bytes;
  http.worker_threads = server->options_.threads;
  Server* self = server.get();
  Result<std::unique_ptr<HttpServer>> adapter = HttpServer::Create(
      http, [self](HttpRequest& request, HttpResponse& response) { self->Handle(request, response); },
      [self](const HttpRequest& request, HttpResponse& response) {
        self->Reject(request, response);
      });
  // The adapter checks the TLS files; its messages name the settings.
  if (!adapter.ok()) return adapter.status();
  server->http_ = std::move(*adapter);
  web.secure_cookies = server->http_->tls();
  return server;
}

Server::Server(WebContext& web, ServerOptions options) : web_(web), options_(std::move(options)) {}

Server::~Server() = default;

// Every response: no inline script or style (app.js and app.css only), no
// framing, no MIME sniffing, no referrer leaving the site; under TLS the
// browser is told to use nothing else for a year.
void Server::AddSecurityHeaders(HttpResponse& response) const {
  response.SetHeader("Content-Security-Policy",
                     "default-src 'self'; script-src 'self'; style-src 'self'; "
                     "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
                     "base-uri 'none'");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Referrer-Policy", "same-origin");
  if (web_.secure_cookies) {
    response.SetHeader("Strict-Transport-Security", "max-age=31536000");
  }
}

void Server::Handle(HttpRequest& request, HttpResponse& response) {
  try {
    switch (router_.Dispatch(request, response)) {
      case Router::Match::kHandled:
        break;
      case Router::Match::kNotFound:
        response.status = 404;
        break;
      case Router::Match::kMethodNotAllowed:
        response.status = 405;
        break;
    }
  } catch (const std::exception& e) {
    spdlog::error("{} {}: {}", EscapeForLog(request.method), EscapeForLog(request.path), e.what());
    response = HttpResponse{};
    response.status = 500;
  }
  if (response.status >= 400) FillErrorPage(request, response);
  AddSecurityHeaders(response);
  spdlog::debug("web: {} {} -> {}", EscapeForLog(request.method), EscapeForLog(request.path),
                response.status);
}

void Server::Reject(const HttpRequest& request, HttpResponse& response) {
  FillErrorPage(request, response);
  AddSecurityHeaders(response);
  spdlog::debug("web: {} {} refused -> {}", EscapeForLog(request.method), EscapeForLog(request.path),
                response.status);
}

// Fills in the page of an error no handler rendered itself: unknown paths,
// a wrong method, a request the server refused, a handler that threw.
void Server::FillErrorPage(const HttpRequest& request, HttpResponse& response) const {
  // /api/ errors are JSON (the API's own handler), everything else a page.
  if (HandleApiError(request, response, options_.upload_limit_bytes)) return;
  if (!response.body.empty() || response.stream) return;
  std::string page;
  switch (response.status) {
    case 404:
      page = ErrorPageHtml(web_, 404, "Page not found",
                           fmt::format("There is no page at {}.", request.path));
      break;
    case 405:
      page = ErrorPageHtml(web_, 405, "Not allowed here",
                           fmt::format("{} does not take {} requests.", request.path,
                                       request.method));
      break;
    case 413:
      page = ErrorPageHtml(web_, 413, "Upload too large",
                           fmt::format("The file or form sent is larger than the limit of {} "
                                       "(web.upload_limit_mb). Split the list into smaller "
                                       "files and send them one by one.",
                                       MiB(options_.upload_limit_bytes)));
      break;
    default:
      page = ErrorPageHtml(web_, response.status, fmt::format("Error {}", response.status),
                           "The server could not complete this request.");
  }
  response.SetContent(page, kHtml);
}

Status Server::Bind() { return http_->Bind(); }

Status Server::Run() { return http_->Run(); }

void Server::Stop() {
  web_.stopping.store(true);
  http_->Stop();
}

int Server::port() const { return http_->port(); }

std::string Server::Url() const {
  bool v6 = options_.host.find(':') != std::string::npos;
  return fmt::format("{}://{}{}{}:{}", web_.secure_cookies ? "https" : "http", v6 ? "[" : "",
                     options_.host, v6 ? "]" : "", port());
}

}  // namespace imeiflow::web
