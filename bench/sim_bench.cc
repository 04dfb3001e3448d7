// imeiflow-sim throughput: client threads, each with one keep-alive
// httplib::Client, posting real HTTP calls to an in-process SimServer with
// zero latency. The "calls/s" counter is the figure to compare (target: at
// least 5,000 placeorder calls per second on a 2-core machine).
#include <benchmark/benchmark.h>
#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "sim/imei_check.h"
#include "sim/server.h"

namespace imeiflow::sim {
namespace {

std::atomic<uint64_t> next_imei{0};

// One simulator for the whole run (started on first use).
SimServer& Server() {
  static std::unique_ptr<SimServer> server;
  static std::once_flag started;
  std::call_once(started, [] {
    SimOptions options;
    options.threads = 64;
    auto created = SimServer::Create(options);
    if (!created.ok() || !(*created)->Start().ok()) {
      std::fprintf(stderr, "cannot start the simulator\n");
      std::abort();
    }
    server = std::move(*created);
  });
  return *server;
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

void BM_PlaceOrder(benchmark::State& state) {
  httplib::Client client("127.0.0.1", Server().port());
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
BENCHMARK(BM_PlaceOrder)->ThreadRange(1, 8)->UseRealTime()->MinTime(2.0);

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
