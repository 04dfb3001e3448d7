// Server: the web application on an HttpServer (web/http_server.h, the one
// adapter to a server library): registers every route group (routes.h) on a
// Router, and around each request adds the security headers (once; HSTS
// under TLS), answers what no route took (404 / 405, as a page or, under
// /api/, as JSON), turns a handler that threw into a 500, renders the pages
// of requests the server refused (413 upload too large, 400, 414, 431) and
// logs each request with its control characters escaped.
// TLS: with web.tls_cert and web.tls_key the server speaks HTTPS; otherwise
// plain HTTP, e.g. behind nginx terminating TLS (docs/ARCHITECTURE.md).
// Thread-safe: Stop() may be called from any thread while Run() blocks.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "web/http.h"
#include "web/http_server.h"
#include "web/web_context.h"

namespace imeiflow::web {

/// Where and how to listen.
struct ServerOptions {
  std::string host = "127.0.0.1";                ///< address to bind
  int port = 8080;                               ///< port; 0 binds any free port
  std::string tls_cert;                          ///< PEM certificate file; empty: plain HTTP
  std::string tls_key;                           ///< PEM private key file
  size_t upload_limit_bytes = size_t{20} << 20;  ///< largest request body
  int threads = 8;  ///< worker threads running handlers (connections cost none)
};

/// Parses "HOST:PORT" ("[::1]:8080" for IPv6) into `options`.
Status ParseListen(std::string_view listen, ServerOptions& options);

/// ServerOptions from [web] (listen, tls_cert, tls_key, upload_limit_mb).
Result<ServerOptions> ServerOptionsFromConfig(const Config& config);

/// The web server.
class Server {
 public:
  /// A server for `web` (which must outlive it) with every route registered.
  /// Fails when the TLS files are missing or unreadable.
  static Result<std::unique_ptr<Server>> Create(WebContext& web, ServerOptions options);
  ~Server();

  /// Binds the address; fails when it is in use or not allowed.
  Status Bind();
  /// Serves until Stop(); call after Bind().
  Status Run();
  /// Stops accepting connections and lets requests in progress finish
  /// (Run() returns once they have).
  void Stop();
  /// The bound port (after Bind()).
  int port() const;
  /// "http://127.0.0.1:8080" (https with TLS).
  std::string Url() const;
  /// The routes, to register more before Run() (tests).
  Router& router() { return router_; }

 private:
  Server(WebContext& web, ServerOptions options);
  void Handle(HttpRequest& request, HttpResponse& response);
  void Reject(const HttpRequest& request, HttpResponse& response);
  void FillErrorPage(const HttpRequest& request, HttpResponse& response) const;
  void AddSecurityHeaders(HttpResponse& response) const;

  WebContext& web_;
  const ServerOptions options_;
  Router router_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace imeiflow::web
