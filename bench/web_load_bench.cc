// The web API under load: while the dispatcher works through a 20,000-IMEI
// job against imeiflow-sim (a separate process; 50 ms per call, 429 beyond
// 50 calls at once, as in dispatch_bench), clients poll the API in the same
// process as the dispatcher, each request through the real HTTP stack on
// 127.0.0.1 and a pooled SQLite connection, and their latencies are taken.
//
// Probes (one client thread each, a 10 ms pause between requests, as pages
// polling):
//   job:    GET /api/v1/jobs/{id}                                (aim: p99 < 50 ms)
//   orders: POST /api/v1/orders/search with 1,000 IMEIs of the job (aim: p99 < 200 ms);
//           a GET query string holds about 500 IMEIs at most (cpp-httplib
//           refuses request lines over 8 KiB), so 1,000 go in a JSON body.
// The issue names the pages GET /jobs/{id} and GET /orders; when they exist,
// add them to Probes() (with a session cookie instead of the bearer token).
// Counters: p50/p99/max in ms while the job runs ("busy") and after it ends
// ("idle"), samples taken, and the dispatch wall time (compare with
// dispatch_bench, which runs without web load).
// ServerNoDelay sets TCP_NODELAY on the server's sockets, ServerNagle keeps
// cpp-httplib's default (Nagle on): the server writes an answer's headers and
// body separately, so with Nagle the body waits for the client's delayed ACK
// (about 40 ms on Linux) on every answer.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "cli/dispatch_session.h"
#include "core/config.h"
#include "core/imei.h"
#include "sim_process.h"
#include "store/database.h"
#include "store/job_submission.h"
#include "store/token_repository.h"
#include "web/api_context.h"
#include "web/api_response.h"
#include "web/api_routes.h"
#include "web/metrics.h"

namespace imeiflow::bench {
namespace {

constexpr int kImeis = 20000;
constexpr int kSearchImeis = 1000;
constexpr auto kPause = std::chrono::milliseconds(10);

// A distinct Luhn-valid IMEI for each `serial`.
std::string Imei(int64_t serial) {
  std::string body = std::to_string(35000000000000LL + serial);
  return body + imeiflow::CheckDigit(body);
}

// One kind of request whose latency is measured.
struct Probe {
  std::string name;                                       // counter prefix
  std::function<httplib::Result(httplib::Client&)> send;  // one request
};

std::vector<Probe> Probes(int64_t job_id, const std::string& token) {
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  nlohmann::json search = {{"imeis", nlohmann::json::array()}, {"limit", kSearchImeis}};
  for (int i = 0; i < kSearchImeis; ++i)
    search["imeis"].push_back(Imei(i * (kImeis / kSearchImeis)));
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

// The database with the cached service, a user with a token, and the job.
struct Fixture {
  std::string token;
  int64_t job_id = 0;
};

Result<Fixture> Prepare(const std::string& db_path) {
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(db_path);
  if (!db.ok()) return db.status();
  Status s = (*db)->Exec(
      "INSERT INTO services(id, category, title, price_cents, fetched_at)"
      " VALUES ('1739', 'Apple', 'Carrier check', 8, 0);"
      "INSERT INTO users(name, role, password_hash, created_at) VALUES ('bench', 'operator', 'x', "
      "0)");
  if (!s.ok()) return s;
  Result<store::NewToken> token = store::TokenRepository(**db).Create("bench", "", "bench", 0);
  if (!token.ok()) return token.status();
  CheckReport report;
  for (int i = 0; i < kImeis; ++i) {
    report.imeis.push_back(Imei(i));
    report.imei_lines.push_back(i + 1);
  }
  store::CachedService service{"1739", "Apple", "Carrier check", Money::FromCents(8), "", "", 0};
  store::SubmissionOptions how;
  how.source = "bench";
  how.created_by = "bench";
  Result<store::Submission> job = store::SubmitJob(**db, service, report, how, 0);
  if (!job.ok()) return job.status();
  return Fixture{token->secret, job->job.id};
}

// The API and metrics routes served on 127.0.0.1 (a free port) by a
// background thread until destruction.
class ApiServer {
 public:
  ApiServer(const web::ApiContext& ctx, bool tcp_nodelay) {
    server_.set_tcp_nodelay(tcp_nodelay);
    web::RegisterApiRoutes(server_, ctx);
    web::RegisterMetricsRoutes(server_, ctx);
    server_.set_error_handler(httplib::Server::HandlerWithResponse(web::HandleApiError));
    port_ = server_.bind_to_any_port("127.0.0.1");
    listener_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~ApiServer() {
    server_.stop();
    listener_.join();
  }
  int port() const { return port_; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread listener_;
};

void BM_ApiUnderDispatch(benchmark::State& state, bool tcp_nodelay) {
  spdlog::set_level(spdlog::level::warn);  // no per-call info line
  SimProcess sim({"--latency-ms", "50", "--max-concurrent", "50"});
  if (sim.url().empty()) return state.SkipWithError("imeiflow-sim did not start");
  char dir_template[] = "/tmp/web_load_bench.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) return state.SkipWithError("no temporary directory");
  const std::filesystem::path dir = dir_template;
  const std::string db_path = dir / "t.db";
  Result<Fixture> fixture = Prepare(db_path);
  if (!fixture.ok()) return state.SkipWithError(fixture.status().message().c_str());

  SystemClock clock;
  web::ApiContext ctx;
  ctx.database_path = db_path;
  ctx.clock = &clock;
  ApiServer server(ctx, tcp_nodelay);
  const int port = server.port();

  Config config;
  config.upstream.url = sim.url();
  config.upstream.user = "demo";
  config.upstream.api_key = "DEMO-0000-0000-0000-0000";
  config.dispatch.max_in_flight = 64;
  std::vector<Probe> probes = Probes(fixture->job_id, fixture->token);

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
    if (!dispatched.ok()) return state.SkipWithError(dispatched.message().c_str());  // keeps dir

    std::atomic<bool> never{false};
    for (size_t i = 0; i < probes.size(); ++i) {
      Report(state, probes[i].name + "_busy", busy[i]);
      Report(state, probes[i].name + "_idle", Measure(probes[i], port, never, 200, failures));
    }
    state.counters["dispatch_s"] = dispatch_s;
    state.counters["failed_requests"] = failures.load();
  }
  std::filesystem::remove_all(dir);
}

BENCHMARK_CAPTURE(BM_ApiUnderDispatch, ServerNoDelay, true)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_ApiUnderDispatch, ServerNagle, false)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace imeiflow::bench

BENCHMARK_MAIN();
