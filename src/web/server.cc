#include "web/server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <filesystem>

#include "web/api_response.h"
#include "web/page.h"
#include "web/routes.h"

namespace imeiflow::web {
namespace {

constexpr const char* kHtml = "text/html; charset=utf-8";

// Every response: no inline script or style (app.js and app.css only), no
// framing, no MIME sniffing, no referrer leaving the site.
void AddSecurityHeaders(httplib::Response& response) {
  response.set_header("Content-Security-Policy",
                      "default-src 'self'; script-src 'self'; style-src 'self'; "
                      "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
                      "base-uri 'none'");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Referrer-Policy", "same-origin");
}

std::string MiB(size_t bytes) { return fmt::format("{} MB", bytes >> 20); }

Status CheckReadable(const std::string& path, std::string_view key) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::InvalidArgument(fmt::format("web.{}: {} is not a readable file", key, path));
  }
  return Status::Ok();
}

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
  std::unique_ptr<httplib::Server> http;
  const bool tls = !options.tls_cert.empty() || !options.tls_key.empty();
  if (tls) {
    if (options.tls_cert.empty() || options.tls_key.empty()) {
      return Status::InvalidArgument("web.tls_cert and web.tls_key must be set together");
    }
    if (Status s = CheckReadable(options.tls_cert, "tls_cert"); !s.ok()) return s;
    if (Status s = CheckReadable(options.tls_key, "tls_key"); !s.ok()) return s;
    auto ssl =
        std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    if (!ssl->is_valid()) {
      return Status::InvalidArgument(fmt::format(
          "web.tls_cert / web.tls_key: {} and {} are not a matching PEM certificate and key",
          options.tls_cert, options.tls_key));
    }
    http = std::move(ssl);
    web.secure_cookies = true;
  } else {
    http = std::make_unique<httplib::Server>();
  }
  std::unique_ptr<Server> server(new Server(web, std::move(options), std::move(http)));
  server->Configure();
  return server;
}

Server::Server(WebContext& web, ServerOptions options, std::unique_ptr<httplib::Server> http)
    : web_(web), options_(std::move(options)), http_(std::move(http)) {}

Server::~Server() = default;

void Server::Configure() {
  const int threads = options_.threads;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_payload_max_length(options_.upload_limit_bytes);
  // Small answers otherwise wait ~40 ms for the client's delayed ACK (Nagle):
  // GET /api/v1/jobs/{id} went from 46 ms to 5 ms p50 (docs/BENCHMARKS.md).
  http_->set_tcp_nodelay(true);
  WebContext& web = web_;
  const size_t limit = options_.upload_limit_bytes;

  http_->set_pre_routing_handler([&web](const httplib::Request& request,
                                        httplib::Response& response) {
    // httplib bounds a body by its Content-Length only; a chunked body
    // could grow without limit, and browsers never send forms chunked.
    if (request.has_header("Transfer-Encoding") &&
        request.get_header_value("Transfer-Encoding") != "identity") {
      response.status = 411;
      response.set_header("Connection", "close");
      if (HandleApiError(request, response) != httplib::Server::HandlerResponse::Handled) {
        response.set_content(
            ErrorPageHtml(web, 411, "Length required", "Send the request with a Content-Length."),
            kHtml);
      }
      AddSecurityHeaders(response);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_->set_post_routing_handler(
      [](const httplib::Request&, httplib::Response& response) { AddSecurityHeaders(response); });
  // Fills in the page of an error no handler rendered itself: unknown
  // paths, a body over the upload limit (httplib answers 413 before any
  // handler runs), a handler that threw.
  http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [&web, limit](const httplib::Request& request, httplib::Response& response) {
        // /api/ errors are JSON (the API's own handler), everything else a page.
        if (HandleApiError(request, response) == httplib::Server::HandlerResponse::Handled) {
          return httplib::Server::HandlerResponse::Handled;
        }
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        std::string page;
        switch (response.status) {
          case 404:
            page = ErrorPageHtml(web, 404, "Page not found",
                                 fmt::format("There is no page at {}.", request.path));
            break;
          case 413:
            page = ErrorPageHtml(web, 413, "Upload too large",
                                 fmt::format("The file or form sent is larger than the limit of {} "
                                             "(web.upload_limit_mb). Split the list into smaller "
                                             "files and send them one by one.",
                                             MiB(limit)));
            break;
          default:
            page = ErrorPageHtml(web, response.status, fmt::format("Error {}", response.status),
                                 "The server could not complete this request.");
        }
        response.set_content(page, kHtml);
        AddSecurityHeaders(response);
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_->set_exception_handler(
      [](const httplib::Request& request, httplib::Response& response, std::exception_ptr error) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("{} {}: {}", request.method, request.path, what);
        response.status = 500;
      });
  http_->set_logger([](const httplib::Request& request, const httplib::Response& response) {
    spdlog::debug("web: {} {} -> {}", request.method, request.path, response.status);
  });
  RegisterRoutes(*http_, web_);
}

Status Server::Bind() {
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.host);
    if (port_ < 0) port_ = 0;
  } else if (http_->bind_to_port(options_.host, options_.port)) {
    port_ = options_.port;
  }
  if (port_ <= 0) {
    return Status::Unavailable(
        fmt::format("cannot listen on {}:{} (in use, or not an address of this machine)",
                    options_.host, options_.port));
  }
  return Status::Ok();
}

Status Server::Run() {
  if (!http_->listen_after_bind()) {
    return Status::IoError(fmt::format("the server on {} stopped on an error", Url()));
  }
  return Status::Ok();
}

void Server::Stop() {
  web_.stopping.store(true);
  http_->stop();
}

std::string Server::Url() const {
  bool v6 = options_.host.find(':') != std::string::npos;
  return fmt::format("{}://{}{}{}:{}", web_.secure_cookies ? "https" : "http", v6 ? "[" : "",
                     options_.host, v6 ? "]" : "", port_);
}

}  // namespace imeiflow::web
