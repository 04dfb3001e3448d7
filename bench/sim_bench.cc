// imeiflow-sim throughput: client threads, each with one keep-alive
// httplib::Client, posting real HTTP calls to an in-process SimServer with
// zero latency. The "calls/s" counter is the figure to compare (target: at
// least 5,000 placeorder calls per second on a 2-core machine).
#include <benchmark/benchmark.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>

#include "sim/imei_check.h"
#include "sim/server.h"

namespace imeiflow::sim {
namespace {

std::atomic<uint64_t> next_imei{0};

// One simulator per configuration for the whole run (started on first use).
SimServer& StartedServer(std::unique_ptr<SimServer>& server, std::once_flag& started,
                         const SimOptions& options) {
  std::call_once(started, [&] {
    auto created = SimServer::Create(options);
    if (!created.ok() || !(*created)->Start().ok()) {
      std::fprintf(stderr, "cannot start the simulator\n");
      std::abort();
    }
    server = std::move(*created);
  });
  return *server;
}

SimServer& Server() {
  static std::unique_ptr<SimServer> server;
  static std::once_flag started;
  SimOptions options;
  options.threads = 64;
  return StartedServer(server, started, options);
}

// The same with --ledger: one write(2) per placeorder call.
SimServer& ServerWithLedger() {
  static std::unique_ptr<SimServer> server;
  static std::once_flag started;
  SimOptions options;
  options.threads = 64;
  options.ledger_file = "/tmp/sim_bench_ledger_" + std::to_string(getpid()) + ".csv";
  std::remove(options.ledger_file.c_str());
  return StartedServer(server, started, options);
}

httplib::Params Credentials(httplib::Params fields) {
  fields.emplace("userId", "demo");
  fields.emplace("apiKey", "DEMO-0000-0000-0000-0000");
  return fields;
}

void Report(benchmark::State& state, int64_t failures) {
  state.counters["calls/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["failures"] = static_cast<double>(failures);
}

void PlaceOrders(benchmark::State& state, SimServer& server) {
  httplib::Client client("127.0.0.1", server.port());
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  int64_t failures = 0;
  for (auto _ : state) {
    auto r = client.Post(kApiPath, Credentials({{"action", "placeorder"},
                                                {"imei", NthImei(next_imei++)},
                                                {"networkId", "1739"}}));
    if (!r || r->status != 200 || r->body.find("<imeis>") == std::string::npos) ++failures;
  }
  Report(state, failures);
}

void BM_PlaceOrder(benchmark::State& state) { PlaceOrders(state, Server()); }
BENCHMARK(BM_PlaceOrder)->ThreadRange(1, 8)->UseRealTime()->MinTime(2.0);

void BM_PlaceOrderWithLedger(benchmark::State& state) { PlaceOrders(state, ServerWithLedger()); }
BENCHMARK(BM_PlaceOrderWithLedger)->Threads(4)->UseRealTime()->MinTime(2.0);

void BM_GetImeis(benchmark::State& state) {
  httplib::Client client("127.0.0.1", Server().port());
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  // 50 order ids per call, as a status poller would ask.
  std::string ids;
  for (int i = 0; i < 50; ++i) ids += (i ? "," : "") + std::to_string(1000001 + i);
  int64_t failures = 0;
  for (auto _ : state) {
    auto r = client.Post(kApiPath, Credentials({{"action", "getimeis"}, {"orderIds", ids}}));
    if (!r || r->status != 200) ++failures;
  }
  Report(state, failures);
}
BENCHMARK(BM_GetImeis)->Threads(4)->UseRealTime()->MinTime(1.0);

}  // namespace
}  // namespace imeiflow::sim

BENCHMARK_MAIN();
