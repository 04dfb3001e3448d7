// HttpServer on Boost.Asio and Boost.Beast (issue 11). A connection costs a
// socket and a strand, never a thread: reading, writing and the waits of an
// event stream are asynchronous on the I/O threads, and only handlers (and an
// event stream's `next`) run on the worker pool. A request's headers have one
// total deadline (`expires_after` on the stream), so a client trickling a
// byte every few seconds is closed after `header_timeout` whatever it sends.
// Beast is slow to compile: it stays in this one file.
//
// Beast's string_view is std::string_view, as the rest of the program's.
#define BOOST_BEAST_USE_STD_STRING_VIEW

// clang-format off
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange without including it
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
// clang-format on
#include <fmt/format.h>
#include <malloc.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "web/http_parse.h"
#include "web/http_server.h"

namespace imeiflow::web {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

// I/O threads: enough to keep TLS and writes moving while one is busy; the
// handlers have their own pool.
constexpr int kIoThreads = 2;
// A refused request's unread body is drained this long before the close, so
// the client reads the refusal instead of a reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kReadChunk = 4096;
// A request body from this size on (an upload) is followed by malloc_trim
// (see Work).
constexpr size_t kTrimAfterBodyBytes = size_t{256} << 10;

bool IsClosedByPeer(const error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
         ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::operation_aborted || ec == beast::error::timeout ||
         ec == ssl::error::stream_truncated || ec == asio::error::broken_pipe;
}

// The status a read error asks for; 0: close without an answer.
int RefusalStatus(const error_code& ec) {
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  if (IsClosedByPeer(ec) ||
      ec.category() != bhttp::make_error_code(bhttp::error::header_limit).category()) {
    return 0;
  }
  return 400;  // the parser's own errors: a malformed request
}

std::string ReasonPhrase(int status) {
  std::string_view reason =
      bhttp::obsolete_reason(bhttp::int_to_status(static_cast<unsigned>(status)));
  return reason.starts_with('<') ? "Status" : std::string(reason);
}

bool HasLineBreak(std::string_view text) { return text.find_first_of("\r\n") != text.npos; }

// Headers the server writes itself; an application's own are dropped.
bool IsFramingHeader(std::string_view name) {
  CaseInsensitiveLess less;
  auto same = [&less, name](std::string_view other) {
    return !less(name, other) && !less(other, name);
  };
  return same("Content-Length") || same("Transfer-Encoding") || same("Connection");
}

// One connection, whatever its stream; the server keeps them to stop them.
class Connection {
 public:
  virtual ~Connection() = default;
  // Ends what the connection waits for (a request, a stream's pause); an
  // answer being made is still written, then the connection closes.
  virtual void Shutdown() = 0;
};

// The server's state shared with its connections.
class AsioHttpServer final : public HttpServer {
 public:
  AsioHttpServer(HttpServerOptions options, RequestHandler handle, RejectHandler reject,
                 std::unique_ptr<ssl::context> tls)
      : options_(std::move(options)),
        handle_(std::move(handle)),
        reject_(std::move(reject)),
        tls_(std::move(tls)),
        acceptor_(asio::make_strand(io_)),
        retry_timer_(acceptor_.get_executor()),
        workers_(static_cast<size_t>(std::max(1, options_.worker_threads))) {}

  ~AsioHttpServer() override {
    stopping_ = true;
    workers_.stop();
    workers_.join();
  }

  Status Bind() override;
  Status Run() override;
  void Stop() override;
  int port() const override { return port_; }
  bool tls() const override { return tls_ != nullptr; }

  const HttpServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }
  asio::io_context& io() { return io_; }
  asio::thread_pool& workers() { return workers_; }
  // Runs the handler (or, for `refusal` != 0, the reject handler) on the
  // calling worker thread; a handler that throws answers 500.
  void Serve(HttpRequest& request, HttpResponse& response, int refusal) const;
  // A connection from `address` closed.
  void Forget(const Connection* connection, const std::string& address);

 private:
  void Accept();
  void OnAccept(const error_code& ec, tcp::socket socket);
  void StopOnAcceptor();

  const HttpServerOptions options_;
  const RequestHandler handle_;
  const RejectHandler reject_;
  const std::unique_ptr<ssl::context> tls_;
  // Declared before io_: the connections its destruction ends still count down here.
  std::mutex mu_;  // guards the counts and the registry below
  std::map<std::string, int> per_address_;
  std::map<const Connection*, std::weak_ptr<Connection>> connections_;
  bool accept_paused_ = false;  // max_connections were open
  std::atomic<bool> stopping_{false};
  asio::io_context io_;
  tcp::acceptor acceptor_;  // on its own strand, with retry_timer_ and StopOnAcceptor
  asio::steady_timer retry_timer_;
  asio::thread_pool workers_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> keep_running_;
  int port_ = 0;
  bool bound_ = false;
};

// A connection on `Stream`: beast::tcp_stream or an ssl_stream over one.
// Every member is touched on the connection's strand only.
template <typename Stream>
class Session final : public Connection, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <typename... Args>
  Session(AsioHttpServer& server, std::string address, Args&&... stream_args)
      : server_(server),
        address_(std::move(address)),
        stream_(std::forward<Args>(stream_args)...),
        timer_(stream_.get_executor()) {}

  ~Session() override { server_.Forget(this, address_); }

  void Start() {
    Lowest().expires_after(server_.options().header_timeout);
    if constexpr (kTls) {
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](const error_code& ec) {
                                if (ec) return self->Close("the TLS handshake failed", ec);
                                self->ReadRequest();
                              });
    } else {
      ReadRequest();
    }
  }

  void Shutdown() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->state_ == State::kReading) Lowest(self->stream_).cancel();
      if (self->state_ == State::kStreaming) {
        self->timer_.cancel();
        if (self->writing_) Lowest(self->stream_).cancel();
      }
    });
  }

 private:
  enum class State { kReading, kHandling, kWriting, kStreaming };

  static beast::tcp_stream& Lowest(Stream& stream) { return beast::get_lowest_layer(stream); }
  beast::tcp_stream& Lowest() { return Lowest(stream_); }
  const HttpServerOptions& options() const { return server_.options(); }

  // Waits for the next request: the first from the connection's start, a
  // kept-alive one for up to idle_timeout before its first byte.
  void ReadRequest() {
    state_ = State::kReading;
    if (server_.stopping()) return Close();
    keep_alive_ = http10_ = head_ = refused_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(options().header_limit_bytes));
    parser_->body_limit(options().body_limit_bytes);
    if (first_request_ || buffer_.size() > 0) {
      if (!first_request_) Lowest().expires_after(options().header_timeout);
      return ReadHeader();
    }
    Lowest().expires_after(options().idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this()](const error_code& ec, size_t n) {
                              self->buffer_.commit(n);
                              if (ec) return self->Close("the kept-alive connection ended", ec);
                              if (self->server_.stopping()) return self->Close();
                              self->Lowest().expires_after(self->options().header_timeout);
                              self->ReadHeader();
                            });
  }

  void ReadHeader() {
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](const error_code& ec, size_t) {
                               if (ec)
                                 return self->OnReadError("reading the request's headers", ec);
                               self->AfterHeader();
                             });
  }

  void AfterHeader() {
    if (parser_->is_done()) return Dispatch();
    Lowest().expires_after(options().body_timeout);
    const auto& message = parser_->get();
    if (beast::iequals(message[bhttp::field::expect], "100-continue")) {
      // The client (curl beyond 1 KiB) waits for this before the body.
      out_ = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(out_),
                        [self = this->shared_from_this()](const error_code& ec, size_t) {
                          if (ec) return self->Close("writing 100 Continue failed", ec);
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](const error_code& ec, size_t) {
                        if (ec) return self->OnReadError("reading the request's body", ec);
                        self->Dispatch();
                      });
  }

  void OnReadError(const char* what, const error_code& ec) {
    const int status = RefusalStatus(ec);
    if (status == 0) return Close(what, ec);
    spdlog::debug("http: refusing a request from {} ({}: {}): {}", address_, what, ec.message(),
                  status);
    auto request = std::make_shared<HttpRequest>();
    FillHead(*request);
    Work(std::move(request), status, 0);
  }

  // The request's line and headers, as far as they were read.
  void FillHead(HttpRequest& request) const {
    const auto& message = parser_->get();
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.path = request.target.substr(0, request.target.find('?'));
    for (const auto& field : message) {
      request.headers.emplace(std::string(field.name_string()), std::string(field.value()));
    }
    request.remote_addr = address_;
    request.tls = kTls;
  }

  void Dispatch() {
    Lowest().expires_never();
    auto request = std::make_shared<HttpRequest>();
    FillHead(*request);
    auto& message = parser_->get();
    keep_alive_ = message.keep_alive();
    http10_ = message.version() < 11;
    head_ = request->method == "HEAD";
    const size_t body_bytes = message.body().size();
    Status parsed = ParseRequestParts(request->target, std::move(message.body()), *request);
    if (!parsed.ok()) {
      spdlog::debug("http: refusing {} {} from {}: {}", EscapeForLog(request->method),
                    EscapeForLog(request->target), address_, EscapeForLog(parsed.message()));
      return Work(std::move(request), 400, body_bytes);
    }
    Work(std::move(request), 0, body_bytes);
  }

  // Runs the handler (refusal 0) or the reject handler on the worker pool,
  // then writes its answer from the strand. After an upload (a 600 KB XLSX
  // can inflate to 200 MB while it is parsed) the memory its handler freed
  // goes back to the system: glibc keeps freed memory in the arena, so
  // serve would go on holding the peak of the largest upload it parsed
  // (bench/preview_memory_bench, five refused 19 MB uploads: 97 MB held
  // after, 56 MB with the trim).
  void Work(std::shared_ptr<HttpRequest> request, int refusal, size_t body_bytes) {
    state_ = State::kHandling;
    refused_ = refusal != 0;
    asio::post(server_.workers(), [self = this->shared_from_this(), request = std::move(request),
                                   refusal, body_bytes,
                                   work = asio::make_work_guard(server_.io())]() mutable {
      auto response = std::make_shared<HttpResponse>();
      self->server_.Serve(*request, *response, refusal);
      asio::post(self->stream_.get_executor(),
                 [self, response] { self->Respond(std::move(*response)); });
      request.reset();
      if (body_bytes >= kTrimAfterBodyBytes) malloc_trim(0);
    });
  }

  void Respond(HttpResponse response) {
    const bool streamed = response.stream != nullptr && !head_;
    bool close = refused_ || !keep_alive_ || server_.stopping() || streamed;
    out_ = fmt::format("HTTP/1.1 {} {}\r\n", response.status, ReasonPhrase(response.status));
    for (const auto& [name, value] : response.headers) {
      if (HasLineBreak(name) || HasLineBreak(value)) {
        spdlog::warn("http: dropping the header {} of a response: it holds a line break",
                     EscapeForLog(name));
        continue;
      }
      if (IsFramingHeader(name)) {
        close = close || beast::iequals(value, "close");
        continue;
      }
      out_ += fmt::format("{}: {}\r\n", name, value);
    }
    const bool bodyless = response.status < 200 || response.status == 204 || response.status == 304;
    chunked_ = streamed && !http10_;
    if (chunked_) {
      out_ += "Transfer-Encoding: chunked\r\n";
    } else if (!bodyless && !streamed && !(head_ && response.stream)) {
      out_ += fmt::format("Content-Length: {}\r\n", response.body.size());
    }
    if (close) {
      out_ += "Connection: close\r\n";
    } else if (http10_) {
      out_ += "Connection: keep-alive\r\n";
    }
    out_ += "\r\n";
    if (!head_ && !bodyless && !streamed) out_ += response.body;
    if (streamed) events_ = std::move(response.stream);
    state_ = State::kWriting;
    Write([self = this->shared_from_this(), close] {
      if (self->events_) return self->StartStream();
      if (!close) {
        self->first_request_ = false;
        return self->ReadRequest();
      }
      if (self->refused_ && !self->parser_->is_done()) return self->Linger();
      self->Close();
    });
  }

  // Writes out_ within body_timeout, then runs `then`; closes on failure.
  template <typename Then>
  void Write(Then then) {
    writing_ = true;
    Lowest().expires_after(options().body_timeout);
    asio::async_write(
        stream_, asio::buffer(out_),
        [self = this->shared_from_this(), then = std::move(then)](const error_code& ec, size_t) {
          self->writing_ = false;
          if (ec) return self->Close("writing the answer failed", ec);
          then();
        });
  }

  void StartStream() {
    state_ = State::kStreaming;
    stream_deadline_ = Clock::now() + events_->max_duration;
    // The watching read runs as long as the stream: no deadline of its own
    // (each chunk's write still has one).
    Lowest().expires_never();
    WatchClient();
    NextChunk();
  }

  // Reads (and drops) what the client sends while its stream runs, to learn
  // at once when it leaves.
  void WatchClient() {
    stream_.async_read_some(asio::buffer(watch_),
                            [self = this->shared_from_this()](const error_code& ec, size_t) {
                              if (!ec) return self->WatchClient();
                              self->client_gone_ = true;
                              self->timer_.cancel();
                            });
  }

  void NextChunk() {
    if (client_gone_) return Close();
    if (server_.stopping() || Clock::now() >= stream_deadline_) return EndStream();
    asio::post(server_.workers(),
               [self = this->shared_from_this(), work = asio::make_work_guard(server_.io())] {
                 std::optional<std::string> chunk;
                 try {
                   chunk = self->events_->next();
                 } catch (const std::exception& e) {
                   spdlog::warn("http: an event stream to {} failed: {}", self->address_, e.what());
                 }
                 asio::post(self->stream_.get_executor(),
                            [self, chunk = std::move(chunk)] { self->OnChunk(chunk); });
               });
  }

  void OnChunk(const std::optional<std::string>& chunk) {
    if (client_gone_) return Close();
    if (!chunk || server_.stopping()) return EndStream();
    if (chunk->empty()) return Pause();
    out_ = chunked_ ? fmt::format("{:x}\r\n{}\r\n", chunk->size(), *chunk) : *chunk;
    Write([self = this->shared_from_this()] { self->Pause(); });
  }

  void Pause() {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(stream_deadline_ - Clock::now());
    timer_.expires_after(std::max(std::chrono::milliseconds(0), std::min(events_->interval, left)));
    timer_.async_wait([self = this->shared_from_this()](const error_code&) { self->NextChunk(); });
  }

  void EndStream() {
    if (!chunked_) return Close();
    out_ = "0\r\n\r\n";
    Write([self = this->shared_from_this()] { self->Close(); });
  }

  // After a refusal: stops sending and reads what is left of the body for a
  // moment, so the client sees the answer rather than a reset.
  void Linger() {
    state_ = State::kReading;  // Stop() need not wait for it
    error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Lowest().expires_after(kLingerTime);
    Drain();
  }

  void Drain() {
    Lowest().async_read_some(asio::buffer(watch_),
                             [self = this->shared_from_this()](const error_code& ec, size_t) {
                               if (ec) return self->Close();
                               self->Drain();
                             });
  }

  void Close(const char* why = nullptr, const error_code& ec = {}) {
    if (why != nullptr && (ec == beast::error::timeout || !IsClosedByPeer(ec))) {
      spdlog::debug("http: closing the connection from {}: {}: {}", address_, why, ec.message());
    }
    error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();
  }

  AsioHttpServer& server_;
  const std::string address_;
  Stream stream_;
  asio::steady_timer timer_;  // an event stream's pause
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string out_;  // the bytes being written
  char watch_[512];  // what a client sends during its stream or after a refusal
  State state_ = State::kReading;
  bool first_request_ = true;
  bool keep_alive_ = false;
  bool http10_ = false;
  bool head_ = false;
  bool refused_ = false;
  bool writing_ = false;
  bool chunked_ = false;
  bool client_gone_ = false;
  std::shared_ptr<EventStream> events_;
  Clock::time_point stream_deadline_;
};

Status AsioHttpServer::Bind() {
  error_code ec;
  tcp::endpoint endpoint;
  const auto address = asio::ip::make_address(options_.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, static_cast<unsigned short>(options_.port));
  } else {
    tcp::resolver resolver(io_);
    auto found = resolver.resolve(options_.host, std::to_string(options_.port), ec);
    if (ec || found.empty()) {
      return Status::InvalidArgument(
          fmt::format("cannot listen on {}:{}: the host is unknown", options_.host, options_.port));
    }
    endpoint = found.begin()->endpoint();
  }
  // SO_REUSEADDR only (restart while old connections linger in TIME_WAIT);
  // never SO_REUSEPORT, which would let a second server share the port.
  if (acceptor_.open(endpoint.protocol(), ec); !ec) {
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  }
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error_code ignored;
    acceptor_.close(ignored);
    if (ec == asio::error::address_in_use) {
      return Status::Unavailable(
          fmt::format("cannot listen on {}:{}: address in use (another program listens there)",
                      options_.host, options_.port));
    }
    return Status::IoError(
        fmt::format("cannot listen on {}:{}: {}", options_.host, options_.port, ec.message()));
  }
  port_ = acceptor_.local_endpoint(ec).port();
  bound_ = true;
  return Status::Ok();
}

Status AsioHttpServer::Run() {
  if (!bound_) return Status::Internal("HttpServer::Run() called before Bind()");
  keep_running_.emplace(io_.get_executor());
  asio::post(acceptor_.get_executor(), [this] { Accept(); });
  std::vector<std::thread> extra;
  for (int i = 1; i < kIoThreads; ++i) extra.emplace_back([this] { io_.run(); });
  io_.run();
  for (std::thread& t : extra) t.join();
  return Status::Ok();
}

void AsioHttpServer::Stop() {
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] { StopOnAcceptor(); });
}

void AsioHttpServer::StopOnAcceptor() {
  error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
  keep_running_.reset();
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, weak] : connections_) {
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    }
  }
  for (auto& connection : open) connection->Shutdown();
}

void AsioHttpServer::Accept() {
  if (stopping_ || !acceptor_.is_open()) return;
  {
    std::lock_guard lock(mu_);
    if (static_cast<int>(connections_.size()) >= options_.max_connections) {
      accept_paused_ = true;  // Forget() resumes; the kernel's backlog holds the rest
      return;
    }
  }
  acceptor_.async_accept(asio::make_strand(io_), [this](const error_code& ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void AsioHttpServer::OnAccept(const error_code& ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted || stopping_) return;
  if (ec) {
    // Out of descriptors, most likely: try again shortly rather than spin.
    spdlog::warn("http: accepting a connection failed: {}", ec.message());
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([this](const error_code& wait) {
      if (!wait) Accept();
    });
    return;
  }
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);  // else small answers wait ~40 ms for an ACK
  std::string address = socket.remote_endpoint(ignored).address().to_string();
  bool refused = false;
  {
    std::lock_guard lock(mu_);
    int& count = per_address_[address];
    refused = count >= options_.max_connections_per_address;
    if (!refused) ++count;
  }
  if (refused) {
    spdlog::debug("http: refusing a connection from {}: {} are open from there", address,
                  options_.max_connections_per_address);
    socket.close(ignored);
    return Accept();
  }
  if (tls_) {
    auto session = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
        *this, address, std::move(socket), *tls_);
    {
      std::lock_guard lock(mu_);
      connections_.emplace(session.get(), session);
    }
    session->Start();
  } else {
    auto session = std::make_shared<Session<beast::tcp_stream>>(*this, address, std::move(socket));
    {
      std::lock_guard lock(mu_);
      connections_.emplace(session.get(), session);
    }
    session->Start();
  }
  Accept();
}

void AsioHttpServer::Forget(const Connection* connection, const std::string& address) {
  bool resume = false;
  {
    std::lock_guard lock(mu_);
    connections_.erase(connection);
    if (auto it = per_address_.find(address); it != per_address_.end() && --it->second <= 0) {
      per_address_.erase(it);
    }
    resume = std::exchange(accept_paused_, false);
  }
  if (resume && !stopping_) asio::post(acceptor_.get_executor(), [this] { Accept(); });
}

void AsioHttpServer::Serve(HttpRequest& request, HttpResponse& response, int refusal) const {
  try {
    if (refusal == 0) return handle_(request, response);
    response.status = refusal;
    if (reject_) reject_(request, response);
    return;
  } catch (const std::exception& e) {
    spdlog::warn("http: answering {} {} failed: {}", EscapeForLog(request.method),
                 EscapeForLog(request.path), EscapeForLog(e.what()));
  }
  response = HttpResponse{};
  response.status = 500;
  try {
    if (reject_) reject_(request, response);
  } catch (const std::exception&) {
    response.SetContent("Internal server error\n", "text/plain; charset=utf-8");
  }
}

Status CheckReadable(const std::string& path, std::string_view key) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::InvalidArgument(fmt::format("web.{}: {} is not a readable file", key, path));
  }
  return Status::Ok();
}

Result<std::unique_ptr<ssl::context>> TlsContext(const HttpServerOptions& options) {
  if (options.tls_cert.empty() || options.tls_key.empty()) {
    return Status::InvalidArgument("web.tls_cert and web.tls_key must be set together");
  }
  if (Status s = CheckReadable(options.tls_cert, "tls_cert"); !s.ok()) return s;
  if (Status s = CheckReadable(options.tls_key, "tls_key"); !s.ok()) return s;
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  error_code ec;
  context->use_certificate_chain_file(options.tls_cert, ec);
  if (!ec) context->use_private_key_file(options.tls_key, ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return Status::InvalidArgument(fmt::format(
        "web.tls_cert / web.tls_key: {} and {} are not a matching PEM certificate and key",
        options.tls_cert, options.tls_key));
  }
  return context;
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Create(HttpServerOptions options,
                                                       RequestHandler handle,
                                                       RejectHandler reject) {
  std::unique_ptr<ssl::context> tls;
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    Result<std::unique_ptr<ssl::context>> context = TlsContext(options);
    if (!context.ok()) return context.status();
    tls = std::move(*context);
  }
  return std::unique_ptr<HttpServer>(
      new AsioHttpServer(std::move(options), std::move(handle), std::move(reject), std::move(tls)));
}

}  // namespace imeiflow::web
