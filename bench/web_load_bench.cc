// The web application under load: while the dispatcher works through a
// 20,000-IMEI job against imeiflow-sim (a separate process; 50 ms per call,
// 429 beyond 50 calls at once, as in dispatch_bench), clients poll the web
// server in the same process as the dispatcher, each request through the real
// HTTP stack on 127.0.0.1 and a pooled SQLite connection, and their latencies
// are taken.
//
// BM_ApiUnderDispatch: the JSON API alone (its routes and /metrics on
// web::HttpServer, default options). Probes (one client thread each, a 10 ms
// pause between requests, as pages polling):
//   job:    GET /api/v1/jobs/{id}                                (aim: p99 < 50 ms)
//   orders: POST /api/v1/orders/search with 1,000 IMEIs of the job (aim: p99 < 200 ms);
//           (the 1,000 go in a JSON body, as a client sends a long list).
//
// BM_PagesUnderDispatch: the HTML pages the issue names, on the real
// web::Server with every route (default options: 8 workers on Boost.Asio),
// logged in as a browser is (session cookie, CSRF token):
//   job_page:    GET /jobs/{id}                                  (aim: p99 < 50 ms)
//   orders_page: POST /orders, multipart, the 1,000 IMEIs pasted in the
//                "imei" field, as the search form sends them (aim: p99 < 200 ms).
//
// Counters: p50/p99/max in ms while the job runs ("busy") and after it ends
// ("idle"), samples taken, the size of an answer once all orders exist (kb),
// and the dispatch wall time (compare with dispatch_bench, which runs without
// web load).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli/dispatch_session.h"
#include "core/config.h"
#include "sim_process.h"
#include "web_fixture.h"
#include "store/database.h"
#include "web/api_context.h"
#include "web/api_response.h"
#include "web/api_routes.h"
#include "web/connection_pool.h"
#include "web/http_server.h"
#include "web/metrics.h"
#include "web/server.h"
#include "web/web_context.h"

namespace imeiflow::bench {
namespace {

constexpr int kImeis = 20000;
constexpr int kSearchImeis = 1000;
constexpr auto kPause = std::chrono::milliseconds(10);
// One kind of request whose latency is measured.
struct Probe {
  std::string name;                                       // counter prefix
  std::function<httplib::Result(httplib::Client&)> send;  // one request
};

// The IMEIs searched: 1,000 spread over the job's 20,000.
std::vector<std::string> SearchedImeis() {
  std::vector<std::string> imeis;
  for (int i = 0; i < kSearchImeis; ++i) imeis.push_back(BenchImei(i * (kImeis / kSearchImeis)));
  return imeis;
}

std::vector<Probe> ApiProbes(int64_t job_id, const std::string& token) {
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  nlohmann::json search = {{"imeis", SearchedImeis()}, {"limit", kSearchImeis}};
  std::string search_body = search.dump();
  std::string job_path = fmt::format("/api/v1/jobs/{}", job_id);
  return {
      {"job", [=](httplib::Client& c) { return c.Get(job_path, auth); }},
      {"orders",
       [=](httplib::Client& c) {
         return c.Post("/api/v1/orders/search", auth, search_body, "application/json");
       }},
  };
}

std::vector<Probe> PageProbes(int64_t job_id, const Browser& browser) {
  httplib::Headers session = {{"Cookie", browser.cookie}};
  std::string pasted;
  for (const std::string& imei : SearchedImeis()) pasted += imei + "\n";
  httplib::MultipartFormDataItems form = {{"csrf_token", browser.csrf, "", ""},
                                          {"imei", pasted, "", ""}};
  std::string job_path = fmt::format("/jobs/{}", job_id);
  return {
      {"job_page", [=](httplib::Client& c) { return c.Get(job_path, session); }},
      {"orders_page", [=](httplib::Client& c) { return c.Post("/orders", session, form); }},
  };
}

double Percentile(std::vector<double> ms, double p) {
  if (ms.empty()) return 0;
  std::sort(ms.begin(), ms.end());
  size_t rank = static_cast<size_t>(std::ceil(p * ms.size()));
  return ms[std::clamp<size_t>(rank, 1, ms.size()) - 1];
}

// Sends `probe` until `stop` (or `max_samples`), returning each latency in
// ms; a failed request counts in `failures`.
std::vector<double> Measure(const Probe& probe, int port, const std::atomic<bool>& stop,
                            size_t max_samples, std::atomic<int>& failures) {
  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  std::vector<double> ms;
  while (!stop.load() && ms.size() < max_samples) {
    auto start = std::chrono::steady_clock::now();
    httplib::Result r = probe.send(client);
    double elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!r || r->status != 200) {
      ++failures;
    } else {
      ms.push_back(elapsed);
    }
    std::this_thread::sleep_for(kPause);
  }
  return ms;
}

void Report(benchmark::State& state, const std::string& name, const std::vector<double>& ms) {
  state.counters[name + "_p50_ms"] = Percentile(ms, 0.50);
  state.counters[name + "_p99_ms"] = Percentile(ms, 0.99);
  state.counters[name + "_max_ms"] = ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end());
  state.counters[name + "_n"] = static_cast<double>(ms.size());
}

// The API and metrics routes served on 127.0.0.1 (a free port) by a
// background thread until destruction.
class ApiServer {
 public:
  explicit ApiServer(const web::ApiContext& ctx) {
    web::RegisterApiRoutes(router_, ctx);
    web::RegisterMetricsRoutes(router_, ctx);
    web::HttpServerOptions options;
    options.port = 0;
    const size_t limit = options.body_limit_bytes;
    Result<std::unique_ptr<web::HttpServer>> server = web::HttpServer::Create(
        options,
        [this, limit](web::HttpRequest& request, web::HttpResponse& response) {
          if (router_.Dispatch(request, response) != web::Router::Match::kHandled) {
            response.status = 404;
          }
          if (response.status >= 400) web::HandleApiError(request, response, limit);
        },
        [limit](const web::HttpRequest& request, web::HttpResponse& response) {
          web::HandleApiError(request, response, limit);
        });
    if (!server.ok() || !(*server)->Bind().ok()) return;
    server_ = std::move(*server);
    listener_ = std::thread([this] {
      if (Status s = server_->Run(); !s.ok()) std::fprintf(stderr, "%s\n", s.message().c_str());
    });
  }
  ~ApiServer() {
    if (!listener_.joinable()) return;
    server_->Stop();
    listener_.join();
  }
  int port() const { return server_ ? server_->port() : 0; }

 private:
  web::Router router_;
  std::unique_ptr<web::HttpServer> server_;
  std::thread listener_;
};

// Sends each probe once, so that a refused request (a missing route, a
// rejected session) stops the benchmark instead of hiding in failed_requests.
Status CheckProbes(const std::vector<Probe>& probes, int port) {
  httplib::Client client("127.0.0.1", port);
  for (const Probe& probe : probes) {
    httplib::Result r = probe.send(client);
    if (!r) return Status::Internal(fmt::format("probe {}: no answer", probe.name));
    if (r->status != 200) {
      return Status::Internal(fmt::format("probe {}: status {}", probe.name, r->status));
    }
  }
  return Status::Ok();
}

// The simulated supplier and a database holding the job, in a temporary
// folder removed on destruction (unless keep() was called).
class Setup {
 public:
  Setup() : sim_({"--latency-ms", "50", "--max-concurrent", "50"}) {
    char dir_template[] = "/tmp/web_load_bench.XXXXXX";
    if (sim_.url().empty()) {
      error_ = "imeiflow-sim did not start";
    } else if (mkdtemp(dir_template) == nullptr) {
      error_ = "no temporary directory";
    } else {
      dir_ = dir_template;
      Result<WebFixture> fixture = PrepareWebDatabase(db_path(), kImeis);
      if (fixture.ok()) {
        fixture_ = *fixture;
      } else {
        error_ = fixture.status().message();
      }
    }
  }
  ~Setup() {
    if (!dir_.empty() && !keep_) std::filesystem::remove_all(dir_);
  }
  const std::string& error() const { return error_; }  // "" when ready
  std::string db_path() const { return dir_ / "t.db"; }
  const WebFixture& fixture() const { return fixture_; }
  const std::string& sim_url() const { return sim_.url(); }
  void keep() { keep_ = true; }

 private:
  SimProcess sim_;
  std::filesystem::path dir_;
  WebFixture fixture_;
  std::string error_;
  bool keep_ = false;
};

// Runs the job to its end while `probes` poll the server on `port`, then
// measures them again on the idle server; reports every figure in `state`.
void MeasureWhileDispatching(benchmark::State& state, Setup& setup, int port,
                             const std::vector<Probe>& probes) {
  if (Status s = CheckProbes(probes, port); !s.ok()) {
    return state.SkipWithError(s.message().c_str());
  }
  Config config;
  config.upstream.url = setup.sim_url();
  config.upstream.user = "demo";
  config.upstream.api_key = "DEMO-0000-0000-0000-0000";
  config.dispatch.max_in_flight = 64;
  const std::string db_path = setup.db_path();
  for (auto _ : state) {
    std::atomic<bool> dispatching_done{false};
    std::atomic<int> failures{0};
    Status dispatched;
    double dispatch_s = 0;
    std::thread dispatcher([&] {
      auto start = std::chrono::steady_clock::now();
      Result<std::unique_ptr<store::Database>> db = store::Database::Open(db_path);
      std::atomic<bool> stop{false};
      dispatched = db.ok() ? cli::RunDispatchSession(config, **db, db_path, stop,
                                                     /*until_idle=*/true, {})
                           : db.status();
      dispatch_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      dispatching_done = true;
    });
    std::vector<std::vector<double>> busy(probes.size());
    std::vector<std::thread> clients;
    for (size_t i = 0; i < probes.size(); ++i) {
      clients.emplace_back(
          [&, i] { busy[i] = Measure(probes[i], port, dispatching_done, SIZE_MAX, failures); });
    }
    dispatcher.join();
    for (std::thread& t : clients) t.join();
    state.SetIterationTime(dispatch_s);
    if (!dispatched.ok()) {
      setup.keep();  // for a look at the database
      return state.SkipWithError(dispatched.message().c_str());
    }

    std::atomic<bool> never{false};
    for (size_t i = 0; i < probes.size(); ++i) {
      Report(state, probes[i].name + "_busy", busy[i]);
      Report(state, probes[i].name + "_idle", Measure(probes[i], port, never, 200, failures));
    }
    // The size of each answer once all orders exist (a 1,000-order page, not an empty one).
    httplib::Client client("127.0.0.1", port);
    for (const Probe& probe : probes) {
      httplib::Result r = probe.send(client);
      state.counters[probe.name + "_idle_kb"] = r ? static_cast<double>(r->body.size()) / 1024 : 0;
    }
    state.counters["dispatch_s"] = dispatch_s;
    state.counters["failed_requests"] = failures.load();
  }
}

void BM_ApiUnderDispatch(benchmark::State& state) {
  spdlog::set_level(spdlog::level::warn);  // no per-call info line
  Setup setup;
  if (!setup.error().empty()) return state.SkipWithError(setup.error().c_str());
  SystemClock clock;
  web::ConnectionPool connections(setup.db_path(), 8);
  web::ApiContext ctx;
  ctx.connections = &connections;
  ctx.clock = &clock;
  ApiServer server(ctx);
  MeasureWhileDispatching(state, setup, server.port(),
                          ApiProbes(setup.fixture().job_id, setup.fixture().token));
}

void BM_PagesUnderDispatch(benchmark::State& state) {
  spdlog::set_level(spdlog::level::warn);
  Setup setup;
  if (!setup.error().empty()) return state.SkipWithError(setup.error().c_str());
  SystemClock clock;
  WebServer server(setup.db_path(), clock);
  if (server.port() == 0) return state.SkipWithError("the web server did not start");
  Result<Browser> browser = LogIn(server.port());
  if (!browser.ok()) return state.SkipWithError(browser.status().message().c_str());
  MeasureWhileDispatching(state, setup, server.port(),
                          PageProbes(setup.fixture().job_id, *browser));
}

BENCHMARK(BM_ApiUnderDispatch)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_PagesUnderDispatch)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace imeiflow::bench

BENCHMARK_MAIN();
