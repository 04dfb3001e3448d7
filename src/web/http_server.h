// HttpServer: the one adapter between a server library and the web
// application. It accepts connections, reads and parses requests within
// their limits (header size and a total deadline for the headers, body size,
// connections per client address), hands each whole request to the
// application's handler on a worker thread, writes the answer (streams of
// server-sent events included, which hold no thread between chunks) and
// speaks TLS when given a certificate. The application never sees the
// library: only HttpRequest / HttpResponse (http.h).
// Thread-safety: Stop() may be called from any thread while Run() blocks;
// the handlers are called concurrently from the worker threads.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "web/http.h"

namespace imeiflow::web {

/// Where to listen and the limits every connection lives within.
struct HttpServerOptions {
  std::string host = "127.0.0.1";  ///< address to bind
  int port = 8080;                 ///< port; 0 binds any free port
  std::string tls_cert;            ///< PEM certificate file; empty: plain HTTP
  std::string tls_key;             ///< PEM private key file
  size_t body_limit_bytes = size_t{20} << 20;  ///< largest request body (else 413)
  size_t header_limit_bytes = 64 << 10;  ///< largest request line + headers (else 431)
  /// A request's line and headers must arrive within this time of its first
  /// byte (or of the connection, for the first request), however slowly
  /// they trickle in; else the connection is closed.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds body_timeout{60'000};   ///< the body must arrive within this
  std::chrono::milliseconds idle_timeout{30'000};   ///< a kept-alive connection closes after this
  int max_connections = 4096;              ///< open connections in all (more wait in the backlog)
  int max_connections_per_address = 512;   ///< from one client address (more are refused)
  int worker_threads = 8;  ///< threads running handlers; connections cost no thread
};

/// Called for every whole request; fills the response.
using RequestHandler = std::function<void(HttpRequest&, HttpResponse&)>;
/// Called when the server refuses a request before any handler runs (400
/// malformed, 411, 413 body too large, 414 / 431 line or headers too large):
/// `request` holds what could be read (method, path, headers), `response`
/// has the status set; the application fills the body (a page or JSON).
using RejectHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

/// An HTTP(S) server.
class HttpServer {
 public:
  /// A server calling `handle` for requests and `reject` for refused ones.
  /// Fails when the TLS files are missing or not a matching PEM pair.
  static Result<std::unique_ptr<HttpServer>> Create(HttpServerOptions options,
                                                    RequestHandler handle, RejectHandler reject);
  virtual ~HttpServer() = default;

  /// Binds the address; fails ("address in use") when another process listens there.
  virtual Status Bind() = 0;
  /// Serves until Stop(); call after Bind().
  virtual Status Run() = 0;
  /// Stops accepting, ends event streams, lets requests in progress finish;
  /// Run() returns once they have.
  virtual void Stop() = 0;
  /// The bound port (after Bind()).
  virtual int port() const = 0;
  /// Whether it speaks TLS.
  virtual bool tls() const = 0;
};

}  // namespace imeiflow::web
