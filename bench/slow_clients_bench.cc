// The web server under the attack of issue 11 (rows 1 and 2): 256 clients
// that send one header byte every 3 s (and reconnect when closed) and 64
// open progress streams (`GET /events`, a chunk a second), while probes ask
// for /healthz every 100 ms (aim: each within 200 ms) and a page every 1 s
// (aim: within 1 s) for 60 s (SLOW_CLIENTS_SECONDS to change it).
// The handlers model the application: /healthz answers at once, /page
// sleeps 2 ms (a page render) and answers 20 KB, /events streams.
//
// server=0: HttpServer (Boost.Asio/Beast, default options, 8 workers);
// server=1: cpp-httplib with 32 threads, as web::Server ran before
// (issue 11's "before": a blocking thread per connection).
// BM_SlowClientsOnServe: the same attack on the real program, `imeiflow
// serve`, with its own streams and a logged-in page (see there).
//
// Counters: healthz/page p99 and max latency (ms), misses (answers later
// than the aim or not at all), probes taken; slow reconnects (slow clients
// the server closed at its header deadline); stream reconnects (streams the
// server ended, opened again).
// BM_Throughput: requests/s of /healthz and /page from 8 keep-alive
// clients for 5 s, without the attack.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "child_run.h"
#include "serve_process.h"
#include "web/http_server.h"
#include "web_fixture.h"

namespace imeiflow::bench {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kSlowClients = 256;
constexpr int kStreams = 64;
constexpr auto kSlowByteEvery = 3s;
constexpr auto kHealthzEvery = 100ms;
constexpr auto kHealthzAim = 200ms;
constexpr auto kPageEvery = 1s;
constexpr auto kPageAim = 1s;
constexpr auto kPageRender = 2ms;
const std::string kPageBody(20 << 10, 'p');

std::chrono::seconds RunTime() {
  const char* seconds = std::getenv("SLOW_CLIENTS_SECONDS");
  return std::chrono::seconds(seconds != nullptr ? std::atoi(seconds) : 60);
}

// A server under test on 127.0.0.1, stopped when destroyed.
class BenchServer {
 public:
  virtual ~BenchServer() = default;
  virtual int port() const = 0;
};

class AsioServer final : public BenchServer {
 public:
  AsioServer() {
    web::HttpServerOptions options;
    options.port = 0;
    auto created = web::HttpServer::Create(
        options,
        [](web::HttpRequest& request, web::HttpResponse& response) {
          if (request.path == "/events") {
            auto stream = std::make_shared<web::EventStream>();
            stream->next = [] { return std::optional<std::string>("data: tick\n\n"); };
            response.SetHeader("Content-Type", "text/event-stream");
            response.stream = std::move(stream);
            return;
          }
          if (request.path == "/page") std::this_thread::sleep_for(kPageRender);
          response.SetContent(request.path == "/page" ? kPageBody : "ok", "text/plain");
        },
        [](const web::HttpRequest&, web::HttpResponse& response) {
          response.SetContent("refused", "text/plain");
        });
    server_ = std::move(*created);
    if (Status s = server_->Bind(); !s.ok()) spdlog::error("bench: {}", s.message());
    runner_ = std::thread([this] {
      if (Status s = server_->Run(); !s.ok()) spdlog::error("bench: {}", s.message());
    });
  }
  ~AsioServer() override {
    server_->Stop();
    runner_.join();
  }
  int port() const override { return server_->port(); }

 private:
  std::unique_ptr<web::HttpServer> server_;
  std::thread runner_;
};

class HttplibServer final : public BenchServer {
 public:
  HttplibServer() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(32); };
    server_.set_tcp_nodelay(true);
    server_.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
      response.set_content("ok", "text/plain");
    });
    server_.Get("/page", [](const httplib::Request&, httplib::Response& response) {
      std::this_thread::sleep_for(kPageRender);
      response.set_content(kPageBody, "text/plain");
    });
    server_.Get("/events", [this](const httplib::Request&, httplib::Response& response) {
      response.set_chunked_content_provider("text/event-stream",
                                            [this](size_t, httplib::DataSink& sink) {
                                              if (stopping_) return false;
                                              std::this_thread::sleep_for(1s);
                                              return sink.write("data: tick\n\n", 12);
                                            });
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    runner_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HttplibServer() override {
    stopping_ = true;
    server_.stop();
    runner_.join();
  }
  int port() const override { return port_; }

 private:
  httplib::Server server_;
  std::atomic<bool> stopping_{false};
  int port_ = 0;
  std::thread runner_;
};

std::unique_ptr<BenchServer> StartServer(int kind) {
  if (kind == 0) return std::make_unique<AsioServer>();
  return std::make_unique<HttplibServer>();
}

// A non-blocking connection to 127.0.0.1:port (connecting in the background).
int Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  return fd;
}

// Whether the server closed `fd` (reading and dropping what it sent).
bool Closed(int fd) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) continue;
    if (n == 0) return true;
    return errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN && errno != EINPROGRESS;
  }
}

// The attackers: slow clients and open streams, on one thread.
class Attack {
 public:
  /// Attacks `port`; each stream sends `stream_request` (a whole GET).
  Attack(int port, std::string stream_request)
      : port_(port), stream_request_(std::move(stream_request)) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~Attack() {
    stop_ = true;
    thread_.join();
    for (const Slow& s : slow_) ::close(s.fd);
    for (int fd : streams_) ::close(fd);
  }
  int reconnects() const { return reconnects_; }
  int stream_reconnects() const { return stream_reconnects_; }

 private:
  struct Slow {
    int fd = -1;
    size_t sent = 0;
  };
  static constexpr std::string_view kTrickle = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";

  void Loop() {
    for (int i = 0; i < kSlowClients; ++i) slow_.push_back({Connect(port_), 0});
    for (int i = 0; i < kStreams; ++i) streams_.push_back(OpenStream());
    auto next_byte = Clock::now();
    while (!stop_) {
      SendPending();
      for (int& fd : streams_) {
        if (Closed(fd)) {
          std::erase(pending_, fd);
          ::close(fd);
          fd = OpenStream();
          ++stream_reconnects_;
        }
      }
      if (Clock::now() >= next_byte) {
        for (Slow& s : slow_) Trickle(s);
        next_byte += kSlowByteEvery;
      }
      std::this_thread::sleep_for(50ms);
    }
  }

  void Trickle(Slow& s) {
    if (Closed(s.fd)) {
      ::close(s.fd);
      s = {Connect(port_), 0};
      ++reconnects_;
    }
    const char byte = s.sent < kTrickle.size() ? kTrickle[s.sent] : 'a';
    if (::send(s.fd, &byte, 1, MSG_NOSIGNAL) == 1) ++s.sent;
  }

  int OpenStream() {
    const int fd = Connect(port_);
    pending_.push_back(fd);  // its request goes once it is connected: see SendPending
    return fd;
  }

  void SendPending() {
    std::erase_if(pending_, [this](int fd) {
      return ::send(fd, stream_request_.data(), stream_request_.size(), MSG_NOSIGNAL) ==
             static_cast<ssize_t>(stream_request_.size());
    });
  }

  const int port_;
  const std::string stream_request_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::vector<Slow> slow_;
  std::vector<int> streams_;
  std::vector<int> pending_;
  std::atomic<int> reconnects_{0};
  std::atomic<int> stream_reconnects_{0};
};

// Latencies of one probe, in ms; a failed request counts as `failed_ms`.
struct Probe {
  std::vector<double> ms;
  int misses = 0;
};

void Percentiles(benchmark::State& state, const std::string& name, Probe& probe) {
  std::sort(probe.ms.begin(), probe.ms.end());
  const auto at = [&](double q) {
    if (probe.ms.empty()) return 0.0;
    return probe.ms[std::min(probe.ms.size() - 1, static_cast<size_t>(q * probe.ms.size()))];
  };
  state.counters[name + "_p99_ms"] = at(0.99);
  state.counters[name + "_max_ms"] = probe.ms.empty() ? 0 : probe.ms.back();
  state.counters[name + "_misses"] = probe.misses;
  state.counters[name + "_n"] = static_cast<double>(probe.ms.size());
}

// Asks for `path` every `every` until `end`, each on a new connection (as a
// monitor does), timing each answer against `aim`.
Probe RunProbe(int port, const std::string& path, std::chrono::milliseconds every,
               std::chrono::milliseconds aim, Clock::time_point end,
               const httplib::Headers& headers = {}) {
  Probe probe;
  auto next = Clock::now();
  while (Clock::now() < end) {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5);
    client.set_read_timeout(5);
    const auto start = Clock::now();
    auto answer = client.Get(path, headers);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    probe.ms.push_back(ms);
    if (!answer || answer->status != 200 || ms > static_cast<double>(aim.count())) ++probe.misses;
    next += every;
    std::this_thread::sleep_until(next);
  }
  return probe;
}

// Attacks the server on `port` for RunTime() (slow clients, and streams
// sending `stream_request`) while probing /healthz and `page_path` (with
// `headers`); writes every figure into `state`.
void MeasureUnderAttack(benchmark::State& state, int port, const std::string& stream_request,
                        const std::string& page_path, const httplib::Headers& headers) {
  Probe healthz;
  Probe page;
  int reconnects = 0;
  int stream_reconnects = 0;
  {
    Attack attack(port, stream_request);
    std::this_thread::sleep_for(1s);  // let the attackers connect
    const auto end = Clock::now() + RunTime();
    std::thread page_probe(
        [&] { page = RunProbe(port, page_path, kPageEvery, kPageAim, end, headers); });
    healthz = RunProbe(port, "/healthz", kHealthzEvery, kHealthzAim, end);
    page_probe.join();
    reconnects = attack.reconnects();
    stream_reconnects = attack.stream_reconnects();
  }
  Percentiles(state, "healthz", healthz);
  Percentiles(state, "page", page);
  state.counters["slow_reconnects"] = reconnects;
  state.counters["stream_reconnects"] = stream_reconnects;
}

void BM_SlowClients(benchmark::State& state) {
  spdlog::set_level(spdlog::level::warn);
  for (auto _ : state) {
    std::unique_ptr<BenchServer> server = StartServer(static_cast<int>(state.range(0)));
    MeasureUnderAttack(state, server->port(), "GET /events HTTP/1.1\r\nHost: x\r\n\r\n", "/page",
                       {});
    state.SetLabel(state.range(0) == 0 ? "asio" : "httplib (before)");
  }
}
BENCHMARK(BM_SlowClients)
    ->ArgName("server")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

// The program itself: `imeiflow serve` (a child process, every route, the
// dispatcher running) with a 2,000-IMEI job whose calls hang at the supplier
// (imeiflow-sim answering after an hour), so the job stays in progress and
// its streams stay open. The streams are `GET /jobs/{id}/events` and the page
// probe `GET /jobs/{id}`, both with a logged-in session as a browser sends.
void BM_SlowClientsOnServe(benchmark::State& state) {
  constexpr int kJobImeis = 2000;
  SimProcess sim({"--latency-ms", "3600000"});
  if (sim.url().empty()) return state.SkipWithError("imeiflow-sim did not start");
  char dir_template[] = "/tmp/slow_clients_bench.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) return state.SkipWithError("no temporary directory");
  const std::filesystem::path dir = dir_template;
  const std::string db_path = dir / "serve.db";
  Result<WebFixture> fixture = PrepareWebDatabase(db_path, kJobImeis);
  if (!fixture.ok()) return state.SkipWithError(fixture.status().message().c_str());
  for (auto _ : state) {
    ServeProcess serve(SimulatorEnv(sim.url(), db_path), dir / "serve.log");
    if (serve.port() == 0) return state.SkipWithError("imeiflow serve did not start");
    Result<Browser> browser = LogIn(serve.port());
    if (!browser.ok()) return state.SkipWithError(browser.status().message().c_str());
    const std::string job = "/jobs/" + std::to_string(fixture->job_id);
    const std::string stream_request =
        "GET " + job + "/events HTTP/1.1\r\nHost: x\r\nCookie: " + browser->cookie + "\r\n\r\n";
    MeasureUnderAttack(state, serve.port(), stream_request, job, {{"Cookie", browser->cookie}});
    state.SetLabel("imeiflow serve");
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SlowClientsOnServe)->Iterations(1)->Unit(benchmark::kSecond);

void BM_Throughput(benchmark::State& state) {
  spdlog::set_level(spdlog::level::warn);
  constexpr int kClients = 8;
  constexpr auto kFor = 5s;
  for (auto _ : state) {
    std::unique_ptr<BenchServer> server = StartServer(static_cast<int>(state.range(0)));
    for (const std::string path : {"/healthz", "/page"}) {
      std::atomic<long> done{0};
      std::atomic<long> failed{0};
      const auto end = Clock::now() + kFor;
      std::vector<std::thread> clients;
      for (int i = 0; i < kClients; ++i) {
        clients.emplace_back([&] {
          httplib::Client client("127.0.0.1", server->port());
          client.set_keep_alive(true);
          while (Clock::now() < end) {
            auto answer = client.Get(path.c_str());
            (answer && answer->status == 200 ? done : failed)++;
          }
        });
      }
      for (std::thread& t : clients) t.join();
      const std::string name = path.substr(1);
      state.counters[name + "_req_per_s"] =
          static_cast<double>(done) / std::chrono::seconds(kFor).count();
      state.counters[name + "_failed"] = static_cast<double>(failed);
    }
    state.SetLabel(state.range(0) == 0 ? "asio" : "httplib (before)");
  }
}
BENCHMARK(BM_Throughput)
    ->ArgName("server")
    ->Arg(0)
    ->Arg(1)
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace imeiflow::bench

BENCHMARK_MAIN();
