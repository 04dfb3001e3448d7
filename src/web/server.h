// Server: the web application's HTTP(S) server on cpp-httplib: binds the
// configured address, registers every route group (routes.h), adds the
// security headers, the upload limit (413 page), error pages (404, 500) and
// static assets, and runs httplib's worker threads until Stop().
// TLS: with web.tls_cert and web.tls_key the server speaks HTTPS (Debian's
// cpp-httplib is built with OpenSSL); otherwise plain HTTP, e.g. behind
// nginx terminating TLS (docs/ARCHITECTURE.md).
// Thread-safe: Stop() may be called from any thread while Run() blocks.
#pragma once

#include <httplib.h>

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "web/web_context.h"

namespace imeiflow::web {

/// Where and how to listen.
struct ServerOptions {
  std::string host = "127.0.0.1";                ///< address to bind
  int port = 8080;                               ///< port; 0 binds any free port
  std::string tls_cert;                          ///< PEM certificate file; empty: plain HTTP
  std::string tls_key;                           ///< PEM private key file
  size_t upload_limit_bytes = size_t{20} << 20;  ///< largest request body
  int threads = 32;  ///< worker threads (live progress streams hold one each)
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
  int port() const { return port_; }
  /// "http://127.0.0.1:8080" (https with TLS).
  std::string Url() const;
  /// The underlying server, to register more routes before Run().
  httplib::Server& http() { return *http_; }

 private:
  Server(WebContext& web, ServerOptions options, std::unique_ptr<httplib::Server> http);
  void Configure();

  WebContext& web_;
  const ServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
};

}  // namespace imeiflow::web
