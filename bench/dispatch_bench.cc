// The exactly-once dispatcher end to end: `imeiflow submit` queues 20,000
// IMEIs (one per call), then `imeiflow work --until-idle` sends them to
// imeiflow-sim. Both imeiflow commands and the simulator run as separate
// processes; the CPU time and peak RSS are those of the `work` process alone
// (wait4), durable commits (synchronous=FULL) included.
//
// Latency50_Concurrent50: the supplier takes 50 ms per call and answers 429
//   beyond 50 calls at once. Physical bound: 20,000 x 0.05 s / 50 = 20 s;
//   the target is dispatch_s <= 22 s (within 10%).
// Latency0: zero latency, no concurrency limit; IMEIs/s and the CPU cost of
//   the dispatcher (target: cpu_us/IMEI < 100).
// imeiflow runs with IMEIFLOW_LOG_LEVEL=warn (no per-call info line) and
// IMEIFLOW_DISPATCH_MAX_IN_FLIGHT=64. Iteration time is the dispatch wall
// time; create_s (job creation by `submit`) is reported separately.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <httplib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "child_run.h"
#include "core/imei.h"
#include "sim_process.h"

namespace imeiflow::bench {
namespace {

constexpr int kImeis = 20000;

nlohmann::json SimStats(const std::string& url) {
  httplib::Client client(url);
  httplib::Result r = client.Get("/sim/stats");
  if (!r || r->status != 200) return {};
  return nlohmann::json::parse(r->body, nullptr, false);
}

void BM_Dispatch(benchmark::State& state, int latency_ms, int max_concurrent) {
  std::vector<std::string> flags = {"--latency-ms", std::to_string(latency_ms)};
  if (max_concurrent > 0) {
    flags.insert(flags.end(), {"--max-concurrent", std::to_string(max_concurrent)});
  }
  SimProcess sim(flags);
  if (sim.url().empty()) {
    state.SkipWithError("imeiflow-sim did not start");
    return;
  }
  const std::filesystem::path dir = FolderWithImeis("dispatch_bench", kImeis, 35000000000000);
  if (dir.empty()) {
    state.SkipWithError("cannot create a temporary directory");
    return;
  }
  const std::string input = dir / "imeis.txt";
  const std::string log = dir / "imeiflow.log";
  const ChildEnv env = SimulatorEnv(sim.url(), dir / "t.db");

  for (auto _ : state) {
    ChildRun create = RunImeiflow({"submit", "--service", "1739", "--yes", input}, env, log);
    ChildRun work = RunImeiflow({"work", "--until-idle"}, env, log);
    state.SetIterationTime(work.wall_s);
    if (create.exit_code != 0 || work.exit_code != 0) {
      state.SkipWithError(fmt::format("imeiflow submit exited {}, work exited {}; see {}",
                                      create.exit_code, work.exit_code, log)
                              .c_str());
      return;  // keep the directory for the log
    }
    nlohmann::json stats = SimStats(sim.url());
    int64_t orders = stats.value("orders_created", int64_t{-1});
    if (orders != kImeis) {
      state.SkipWithError(
          fmt::format("the supplier created {} orders, not {}", orders, kImeis).c_str());
      return;
    }
    state.counters["create_s"] = create.wall_s;
    state.counters["dispatch_s"] = work.wall_s;
    if (latency_ms > 0 && max_concurrent > 0) {
      double bound = kImeis * (latency_ms / 1000.0) / max_concurrent;
      state.counters["bound_s"] = bound;
      state.counters["vs_bound%"] = 100.0 * work.wall_s / bound;
    }
    state.counters["IMEIs/s"] = kImeis / work.wall_s;
    state.counters["cpu_us/IMEI"] = work.cpu_s * 1e6 / kImeis;
    state.counters["peak_RSS_MB"] = work.max_rss_kb / 1024.0;
    state.counters["429s"] = static_cast<double>(stats.value("rejected_429", int64_t{0}));
    state.counters["calls"] = static_cast<double>(stats["calls"].value("placeorder", int64_t{0}));
  }
  std::filesystem::remove_all(dir);
}

BENCHMARK_CAPTURE(BM_Dispatch, Latency50_Concurrent50, 50, 50)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_Dispatch, Latency0, 0, 0)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace imeiflow::bench

BENCHMARK_MAIN();
