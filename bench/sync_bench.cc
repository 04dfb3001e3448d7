// Status sync end to end: 10,000 orders placed through `imeiflow submit` and
// `imeiflow work --until-idle` against imeiflow-sim at zero latency (orders
// complete at once, 5% rejected), first due 15 s after placing (the benchmark
// waits for that), and `imeiflow sync` brings them all to their final state. Each imeiflow command
// and the simulator run as separate processes; wall time, CPU time and peak RSS are those of the
// `sync` process alone (wait4), durable commits included.
//
// UntilDone: `sync --until-done` (the schedule: every order due now).
// Once: `sync --once` (every open order once, whatever the schedule).
// Both with the defaults: 50 ids per getimeis call, up to 64 calls in flight.
// The orders are placed once; each iteration syncs a fresh copy of that
// database (the simulator keeps the orders).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "child_run.h"
#include "core/imei.h"
#include "sim_process.h"

namespace imeiflow::bench {
namespace {

constexpr int kOrders = 10000;
// sync.first_poll_s while placing: long enough that `work` polls nothing.
constexpr int kFirstPollS = 15;

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in, nullptr, false);
}

int64_t GetImeisCalls(const std::string& url) {
  httplib::Client client(url);
  httplib::Result r = client.Get("/sim/stats");
  if (!r || r->status != 200) return -1;
  nlohmann::json stats = nlohmann::json::parse(r->body, nullptr, false);
  return stats.is_object() ? stats["calls"].value("getimeis", int64_t{-1}) : -1;
}

// Copies the database at `from` (with its WAL, if one was left) to `to`.
void CopyDatabase(const std::string& from, const std::string& to) {
  namespace fs = std::filesystem;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  fs::remove(to + "-wal");
  if (fs::exists(from + "-wal")) fs::copy_file(from + "-wal", to + "-wal");
}

void BM_Sync(benchmark::State& state, bool once) {
  SimProcess sim({"--process-after-ms", "0", "--complete-after-ms", "0"});
  if (sim.url().empty()) {
    state.SkipWithError("imeiflow-sim did not start");
    return;
  }
  const std::filesystem::path dir = FolderWithImeis("sync_bench", kOrders, 35100000000000);
  if (dir.empty()) {
    state.SkipWithError("cannot create a temporary directory");
    return;
  }
  const std::string input = dir / "imeis.txt";
  const std::string log = dir / "imeiflow.log";
  const std::string placed_db = dir / "placed.db";
  const std::string db = dir / "t.db";
  ChildEnv env = SimulatorEnv(sim.url(), placed_db);
  env.emplace_back("IMEIFLOW_SYNC_FIRST_POLL_S", std::to_string(kFirstPollS));
  ChildRun create = RunImeiflow({"submit", "--service", "1739", "--yes", input}, env, log);
  ChildRun work = RunImeiflow({"work", "--until-idle"}, env, log);
  if (create.exit_code != 0 || work.exit_code != 0 || work.wall_s >= kFirstPollS) {
    state.SkipWithError(fmt::format("placing the orders failed (submit {}, work {} in {:.1f} s);"
                                    " see {}",
                                    create.exit_code, work.exit_code, work.wall_s, log)
                            .c_str());
    return;
  }
  // Every order is due once the last one placed is.
  std::this_thread::sleep_for(std::chrono::seconds(kFirstPollS));
  for (auto& [name, value] : env) {
    if (name == "IMEIFLOW_DB") value = db;
  }

  for (auto _ : state) {
    CopyDatabase(placed_db, db);
    int64_t calls_before = GetImeisCalls(sim.url());
    std::vector<std::string> args = {"sync", once ? "--once" : "--until-done", "--json"};
    ChildRun sync = RunImeiflow(args, env, log, dir / "report.json");
    state.SetIterationTime(sync.wall_s);
    nlohmann::json report = ReadJson(dir / "report.json");
    if (sync.exit_code != 0 || !report.is_object()) {
      state.SkipWithError(
          fmt::format("imeiflow sync exited {}; see {}", sync.exit_code, log).c_str());
      return;  // keep the directory for the log
    }
    int64_t finals =
        report.value("orders_completed", int64_t{0}) + report.value("orders_rejected", int64_t{0});
    if (finals != kOrders) {
      state.SkipWithError(fmt::format("{} orders final, not {}", finals, kOrders).c_str());
      return;
    }
    int64_t calls = GetImeisCalls(sim.url()) - calls_before;
    state.counters["sync_s"] = sync.wall_s;
    state.counters["orders/s"] = kOrders / sync.wall_s;
    state.counters["calls"] = static_cast<double>(calls);
    state.counters["calls/s"] = calls / sync.wall_s;
    state.counters["cpu_s"] = sync.cpu_s;
    state.counters["cpu_us/order"] = sync.cpu_s * 1e6 / kOrders;
    state.counters["peak_RSS_MB"] = sync.max_rss_kb / 1024.0;
  }
  std::filesystem::remove_all(dir);
}

BENCHMARK_CAPTURE(BM_Sync, UntilDone, false)
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_Sync, Once, true)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace imeiflow::bench

BENCHMARK_MAIN();
