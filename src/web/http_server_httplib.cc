// The interim HttpServer on cpp-httplib (a worker thread per connection),
// kept until the event-driven adapter replaces it.
#include <fmt/format.h>
#include <httplib.h>

#include <thread>

#include "web/http_server.h"

namespace imeiflow::web {
namespace {

HttpParams QueryOf(const std::string& target) {
  HttpParams params;
  size_t q = target.find('?');
  if (q == std::string::npos) return params;
  httplib::Params parsed;
  httplib::detail::parse_query_text(target.substr(q + 1), parsed);
  for (auto& [k, v] : parsed) params.emplace(k, v);
  return params;
}

HttpRequest Convert(const httplib::Request& in, bool tls) {
  HttpRequest out;
  out.method = in.method;
  out.path = in.path;
  out.target = in.target;
  for (const auto& [k, v] : in.headers) out.headers.emplace(k, v);
  out.query = QueryOf(in.target);
  // httplib merges the query and a url-encoded body into `params`.
  if (in.get_header_value("Content-Type").starts_with("application/x-www-form-urlencoded")) {
    httplib::Params form;
    httplib::detail::parse_query_text(in.body, form);
    for (auto& [k, v] : form) out.form.emplace(k, v);
  }
  for (const auto& [name, part] : in.files) {
    if (part.filename.empty() && part.content_type.empty()) {
      out.form.emplace(name, part.content);
    } else {
      out.files.emplace(name, FormFile{part.filename, part.content_type, part.content});
    }
  }
  out.body = in.body;
  out.remote_addr = in.remote_addr;
  out.tls = tls;
  return out;
}

void Send(HttpResponse& from, httplib::Response& to, const std::atomic<bool>& stopping) {
  to.status = from.status;
  std::string type = from.Header("Content-Type");
  for (const auto& [k, v] : from.headers) {
    if (k != "Content-Type") to.headers.emplace(k, v);
  }
  if (!from.stream) {
    to.set_content(from.body, type.empty() ? "text/plain" : type);
    return;
  }
  auto stream = from.stream;
  auto started = std::chrono::steady_clock::now();
  auto first = std::make_shared<bool>(true);
  to.set_chunked_content_provider(
      type, [stream, started, first, &stopping](size_t, httplib::DataSink& sink) {
        if (!*first) std::this_thread::sleep_for(stream->interval);
        *first = false;
        std::optional<std::string> chunk;
        if (!stopping.load() && std::chrono::steady_clock::now() - started < stream->max_duration) {
          chunk = stream->next();
        }
        if (!chunk) {
          sink.done();
          return true;
        }
        return sink.write(chunk->data(), chunk->size());
      });
}

class HttplibServer final : public HttpServer {
 public:
  HttplibServer(HttpServerOptions options, std::unique_ptr<httplib::Server> http, bool tls,
                RequestHandler handle, RejectHandler reject)
      : options_(std::move(options)),
        http_(std::move(http)),
        tls_(tls),
        handle_(std::move(handle)),
        reject_(std::move(reject)) {
    const int threads = options_.worker_threads;
    http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http_->set_payload_max_length(options_.body_limit_bytes);
    http_->set_tcp_nodelay(true);
    auto route = [this](const httplib::Request& in, httplib::Response& out) {
      HttpRequest request = Convert(in, tls_);
      HttpResponse response;
      handle_(request, response);
      Send(response, out, stopping_);
    };
    const std::string any = ".*";
    http_->Get(any, route);
    http_->Post(any, route);
    http_->Put(any, route);
    http_->Patch(any, route);
    http_->Delete(any, route);
    http_->Options(any, route);
    http_->set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& in, httplib::Response& out) {
          if (!out.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          HttpRequest request = Convert(in, tls_);
          HttpResponse response;
          response.status = out.status;
          reject_(request, response);
          Send(response, out, stopping_);
          return httplib::Server::HandlerResponse::Handled;
        }));
  }

  Status Bind() override {
    if (options_.port == 0) {
      port_ = http_->bind_to_any_port(options_.host);
      if (port_ < 0) port_ = 0;
    } else if (http_->bind_to_port(options_.host, options_.port)) {
      port_ = options_.port;
    }
    if (port_ <= 0) {
      return Status::Unavailable(
          fmt::format("cannot listen on {}:{} (address in use, or not an address of this machine)",
                      options_.host, options_.port));
    }
    return Status::Ok();
  }

  Status Run() override {
    if (!http_->listen_after_bind()) {
      return Status::IoError(fmt::format("the server on port {} stopped on an error", port_));
    }
    return Status::Ok();
  }

  void Stop() override {
    stopping_.store(true);
    http_->stop();
  }

  int port() const override { return port_; }
  bool tls() const override { return tls_; }

 private:
  const HttpServerOptions options_;
  std::unique_ptr<httplib::Server> http_;
  const bool tls_;
  RequestHandler handle_;
  RejectHandler reject_;
  std::atomic<bool> stopping_{false};
  int port_ = 0;
};

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Create(HttpServerOptions options,
                                                       RequestHandler handle,
                                                       RejectHandler reject) {
  std::unique_ptr<httplib::Server> http;
  const bool tls = !options.tls_cert.empty();
  if (tls) {
    auto ssl =
        std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
    if (!ssl->is_valid()) {
      return Status::InvalidArgument(fmt::format(
          "{} and {} are not a matching PEM certificate and key", options.tls_cert,
          options.tls_key));
    }
    http = std::move(ssl);
  } else {
    http = std::make_unique<httplib::Server>();
  }
  return std::unique_ptr<HttpServer>(
      new HttplibServer(std::move(options), std::move(http), tls, std::move(handle),
                        std::move(reject)));
}

}  // namespace imeiflow::web
