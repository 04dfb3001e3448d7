// Status sync end to end: the built `imeiflow` (submit, work, sync) against
// the real imeiflow-sim process on 127.0.0.1, which moves its orders from
// Pending through In Process to Completed or Rejected within a second. The
// judge is the database the runs leave behind: every order final, completed
// ones with their parsed fields, rejected ones with their reason. Schedules
// are shortened through the environment (first poll 1 s after placing, at
// most 1 s between polls).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "process_util.h"
#include "sim/imei_check.h"
#include "store/database.h"

namespace imeiflow::integration {
namespace {

constexpr const char* kService = "1739";  // Apple carrier/FMI/SIM-lock check, $0.08

// Orders move to In Process after 200 ms and end at 500 ms; a fifth are rejected.
const std::vector<std::string> kQuickOrders = {
    "--process-after-ms", "200", "--complete-after-ms", "500", "--reject-ratio", "0.2"};
// When an order of kQuickOrders is final at the supplier, after it was placed.
constexpr int64_t kFinalAfterMs = 500;

std::vector<std::string> With(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A database, an IMEI file and the environment of every run.
class SyncRun {
 public:
  SyncRun(const Sim& sim, uint64_t first, int count) : env_(SupplierEnv(sim.url())) {
    env_["IMEIFLOW_DB"] = dir_.File("t.db");
    env_["IMEIFLOW_LOG_LEVEL"] = "warn";
    env_["IMEIFLOW_SYNC_FIRST_POLL_S"] = "1";
    env_["IMEIFLOW_SYNC_MAX_POLL_INTERVAL_S"] = "1";
    std::ofstream out(ImeiFile());
    for (int i = 0; i < count; ++i) out << sim::NthImei(first + i) << "\n";
  }

  std::map<std::string, std::string>& env() { return env_; }
  std::string ImeiFile() const { return dir_.File("imeis.txt"); }
  std::string DatabasePath() const { return dir_.File("t.db"); }
  const TempDir& dir() const { return dir_; }

  ProcessRun Imeiflow(std::vector<std::string> args) const {
    return RunImeiflow(std::move(args), env_);
  }
  // submit + work --until-idle: every IMEI ordered.
  void PlaceAll() const {
    ProcessRun submit = Imeiflow({"submit", "--service", kService, "--yes", ImeiFile()});
    ASSERT_EQ(submit.exit_code, 0) << submit.err;
    ProcessRun work = Imeiflow({"work", "--until-idle"});
    ASSERT_EQ(work.exit_code, 0) << work.err;
  }
  // `imeiflow sync <args> --json`, exit status checked; the parsed report.
  nlohmann::json Sync(std::vector<std::string> args) const {
    args.insert(args.begin(), "sync");
    args.push_back("--json");
    ProcessRun sync = Imeiflow(args);
    EXPECT_EQ(sync.exit_code, 0) << sync.err;
    nlohmann::json report = nlohmann::json::parse(sync.out, nullptr, false);
    EXPECT_TRUE(report.is_object()) << sync.out << sync.err;
    return report;
  }

 private:
  TempDir dir_;
  std::map<std::string, std::string> env_;
};

// One order as the database holds it.
struct StoredOrder {
  std::string imei, status, code, model, carrier, simlock, fmi;
  int64_t polls = 0;
};

std::vector<StoredOrder> ReadOrders(const std::string& path) {
  std::vector<StoredOrder> orders;
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
  if (!db.ok()) {
    ADD_FAILURE() << "cannot open " << path << ": " << db.status().message();
    return orders;
  }
  Result<store::Statement> rows = (*db)->Prepare(
      "SELECT imei, status, coalesce(code, ''), model, carrier, simlock, fmi, polls FROM orders");
  if (!rows.ok()) {
    ADD_FAILURE() << rows.status().message();
    return orders;
  }
  for (Result<bool> more = rows->Step(); more.ok() && *more; more = rows->Step()) {
    orders.push_back({rows->ColumnText(0), rows->ColumnText(1), rows->ColumnText(2),
                      rows->ColumnText(3), rows->ColumnText(4), rows->ColumnText(5),
                      rows->ColumnText(6), rows->ColumnInt(7)});
  }
  return orders;
}

int CountFinal(const std::vector<StoredOrder>& orders) {
  int n = 0;
  for (const StoredOrder& o : orders) n += o.status == "completed" || o.status == "rejected";
  return n;
}

// Every order final; completed ones carry the parsed fields of an Apple
// check, rejected ones their reason. Returns {completed, rejected}.
std::pair<int, int> ExpectAllFinalWithResults(const std::vector<StoredOrder>& orders) {
  int completed = 0;
  int rejected = 0;
  for (const StoredOrder& o : orders) {
    if (o.status == "completed") {
      ++completed;
      EXPECT_FALSE(o.model.empty()) << o.imei << ": " << o.code;
      EXPECT_FALSE(o.carrier.empty()) << o.imei << ": " << o.code;
      EXPECT_FALSE(o.simlock.empty()) << o.imei << ": " << o.code;
      EXPECT_FALSE(o.fmi.empty()) << o.imei << ": " << o.code;
      EXPECT_NE(o.code.find("Model: "), std::string::npos) << o.imei << ": " << o.code;
    } else if (o.status == "rejected") {
      ++rejected;
      EXPECT_FALSE(o.code.empty()) << o.imei << " rejected without a reason";
      EXPECT_TRUE(o.model.empty()) << o.imei;
    } else {
      ADD_FAILURE() << o.imei << " is still " << o.status;
    }
  }
  return {completed, rejected};
}

// Waits up to `limit` for `done`, checking every 50 ms.
bool WaitFor(const std::function<bool()>& done, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// The latest `column` (a Unix ms time) among the orders at `path`; 0 when none.
int64_t LatestOrderTime(const std::string& path, const std::string& column) {
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
  if (!db.ok()) return 0;
  Result<store::Statement> row =
      (*db)->Prepare("SELECT coalesce(max(" + column + "), 0) FROM orders");
  if (!row.ok() || !row->Step().ok()) return 0;
  return row->ColumnInt(0);
}

// Whether the wall clock (imeiflow's) has reached `at_ms`.
bool Reached(int64_t at_ms) {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(now).count() >= at_ms;
}

TEST(SyncAgainstSim, SyncBringsEveryOrderToItsFinalStateWithParsedFields) {
  Sim sim(With(kQuickOrders, {"--seed", "11"}));
  ASSERT_FALSE(sim.url().empty());
  SyncRun run(sim, 8100000, 120);
  run.PlaceAll();

  nlohmann::json report = run.Sync({"--until-done"});
  EXPECT_EQ(report["left"]["pending"], 0) << report.dump();
  EXPECT_EQ(report["left"]["in_process"], 0) << report.dump();
  std::vector<StoredOrder> orders = ReadOrders(run.DatabasePath());
  ASSERT_EQ(orders.size(), 120u);
  auto [completed, rejected] = ExpectAllFinalWithResults(orders);
  EXPECT_GT(completed, 0);
  EXPECT_GT(rejected, 0);  // 20% of 120
  // The report counts each order's final change once (`work` may have made some).
  EXPECT_LE(report["orders_completed"].get<int>(), completed);
  EXPECT_LE(report["orders_rejected"].get<int>(), rejected);
  // Several ids per call: at most 50 (sync.batch_size).
  nlohmann::json stats = sim.Stats();
  int calls = stats["calls"]["getimeis"].get<int>();
  int64_t polls = 0;
  for (const StoredOrder& o : orders) polls += o.polls;
  EXPECT_GE(calls * 50, polls);
  EXPECT_LT(calls, polls) << "one id per call";

  ProcessRun doctor = run.Imeiflow({"doctor"});
  EXPECT_NE(doctor.out.find("awaiting a result: 0 pending, 0 in process"), std::string::npos)
      << doctor.out << doctor.err;
}

TEST(SyncAgainstSim, WorkSyncsAlongsideTheDispatcherAndSyncWaitsForIt) {
  Sim sim(With(kQuickOrders, {"--seed", "12"}));
  ASSERT_FALSE(sim.url().empty());
  SyncRun run(sim, 8200000, 80);
  ProcessRun submit = run.Imeiflow({"submit", "--service", kService, "--yes", run.ImeiFile()});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;

  ChildProcess work({ImeiflowBinary(), "work"}, run.env(), run.dir().File("work.out"),
                    run.dir().File("work.err"));
  std::vector<StoredOrder> orders;
  bool all_final = WaitFor(
      [&] {
        orders = ReadOrders(run.DatabasePath());
        return orders.size() == 80u && CountFinal(orders) == 80;
      },
      std::chrono::seconds(60));
  ASSERT_TRUE(all_final) << CountFinal(orders) << " of " << orders.size() << " final; "
                         << ReadAll(run.dir().File("work.err"));

  // One process talks to the supplier per database.
  ProcessRun refused = run.Imeiflow({"sync", "--once"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("already dispatching"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("one process talks to the supplier"), std::string::npos)
      << refused.err;

  work.Signal(SIGTERM);
  EXPECT_EQ(work.WaitFor(std::chrono::seconds(30)), 0) << ReadAll(run.dir().File("work.err"));
  ExpectAllFinalWithResults(ReadOrders(run.DatabasePath()));
}

TEST(SyncAgainstSim, WorkUntilIdlePollsWhatIsDueBeforeItExits) {
  Sim sim(With(kQuickOrders, {"--seed", "15"}));
  ASSERT_FALSE(sim.url().empty());
  SyncRun run(sim, 8600000, 40);
  run.PlaceAll();
  // Placed orders are first due a second later; once they are, nothing is
  // queued, but polls are due: `work --until-idle` makes them before it exits.
  const int64_t due = LatestOrderTime(run.DatabasePath(), "next_poll_at");
  ASSERT_GT(due, 0);
  ASSERT_TRUE(WaitFor([&] { return Reached(due); }, std::chrono::seconds(10)));
  ProcessRun work = run.Imeiflow({"work", "--until-idle"});
  ASSERT_EQ(work.exit_code, 0) << work.err;
  std::vector<StoredOrder> orders = ReadOrders(run.DatabasePath());
  ASSERT_EQ(orders.size(), 40u);
  ExpectAllFinalWithResults(orders);
}

TEST(SyncAgainstSim, IdsTheSupplierLeavesOutAreAskedAgainUntilFinal) {
  Sim sim(With(kQuickOrders, {"--seed", "13", "--fault-omit", "0.3"}));
  ASSERT_FALSE(sim.url().empty());
  SyncRun run(sim, 8300000, 100);
  run.PlaceAll();
  int64_t omitted_by_work = sim.Stats()["faults"]["omit"].get<int64_t>();

  nlohmann::json report = run.Sync({"--until-done"});
  std::vector<StoredOrder> orders = ReadOrders(run.DatabasePath());
  ASSERT_EQ(orders.size(), 100u);
  ExpectAllFinalWithResults(orders);
  int64_t omitted = sim.Stats()["faults"]["omit"].get<int64_t>() - omitted_by_work;
  EXPECT_GT(omitted, 0);
  // Every id the simulator left out was noticed as missing.
  EXPECT_EQ(report["orders_missing"].get<int64_t>(), omitted) << report.dump();
}

TEST(SyncAgainstSim, PollsRefusedForLoadAreAskedAgainLater) {
  // Two calls at a time, 20 ms each.
  Sim sim(With(kQuickOrders, {"--seed", "17", "--latency-ms", "20", "--max-concurrent", "2"}));
  ASSERT_FALSE(sim.url().empty());
  SyncRun run(sim, 8800000, 100);
  run.env()["IMEIFLOW_DISPATCH_MAX_IN_FLIGHT"] = "2";
  run.env()["IMEIFLOW_SYNC_FIRST_POLL_S"] = "60";  // `work` polls nothing
  run.PlaceAll();
  run.env()["IMEIFLOW_SYNC_FIRST_POLL_S"] = "1";
  run.env()["IMEIFLOW_DISPATCH_MAX_IN_FLIGHT"] = "16";
  run.env()["IMEIFLOW_SYNC_BATCH_SIZE"] = "4";

  // Every order is final at the supplier kFinalAfterMs after it was placed.
  const int64_t final_at = LatestOrderTime(run.DatabasePath(), "placed_at") + kFinalAfterMs;
  ASSERT_GT(final_at, kFinalAfterMs);
  ASSERT_TRUE(WaitFor([&] { return Reached(final_at); }, std::chrono::seconds(10)));

  // 25 calls, starting four at a time: the supplier refuses some.
  nlohmann::json once = run.Sync({"--once"});
  int64_t refused = sim.Stats()["rejected_429"].get<int64_t>();
  EXPECT_GT(refused, 0);
  EXPECT_EQ(once["congestion"].get<int64_t>(), refused) << once.dump();
  EXPECT_EQ(once["failed_polls"].get<int64_t>(), refused) << once.dump();
  EXPECT_EQ(once["orders_completed"].get<int64_t>() + once["orders_rejected"].get<int64_t>(),
            100 - 4 * refused)
      << once.dump();
  // Their orders are asked again a second later.
  nlohmann::json rest = run.Sync({"--until-done"});
  EXPECT_EQ(rest["orders_completed"].get<int64_t>() + rest["orders_rejected"].get<int64_t>(),
            4 * refused)
      << rest.dump();
  ExpectAllFinalWithResults(ReadOrders(run.DatabasePath()));
}

TEST(SyncAgainstSim, AKilledSyncResumesAndFinishes) {
  // 40 ms per call, five ids per call, two calls at a time: 400 orders take
  // about 80 rounds of 40 ms, so the kill lands mid-run.
  Sim sim(With(kQuickOrders, {"--seed", "14", "--latency-ms", "40"}));
  ASSERT_FALSE(sim.url().empty());
  SyncRun run(sim, 8400000, 400);
  run.env()["IMEIFLOW_DISPATCH_MAX_IN_FLIGHT"] = "64";
  run.PlaceAll();
  run.env()["IMEIFLOW_SYNC_BATCH_SIZE"] = "5";
  run.env()["IMEIFLOW_DISPATCH_MAX_IN_FLIGHT"] = "2";
  run.env()["IMEIFLOW_DISPATCH_INITIAL_IN_FLIGHT"] = "2";

  int final_at_kill = 0;
  {
    ChildProcess sync({ImeiflowBinary(), "sync", "--until-done"}, run.env(),
                      run.dir().File("sync.out"), run.dir().File("sync.err"));
    bool some_final = WaitFor([&] { return CountFinal(ReadOrders(run.DatabasePath())) >= 20; },
                              std::chrono::seconds(60));
    ASSERT_TRUE(some_final) << ReadAll(run.dir().File("sync.err"));
    ASSERT_FALSE(sync.Exited()) << "sync finished before the kill";
    sync.Signal(SIGKILL);
    sync.Wait();
    final_at_kill = CountFinal(ReadOrders(run.DatabasePath()));
  }
  EXPECT_LT(final_at_kill, 400);

  nlohmann::json report = run.Sync({"--until-done"});
  EXPECT_EQ(report["left"]["pending"], 0) << report.dump();
  std::vector<StoredOrder> orders = ReadOrders(run.DatabasePath());
  ASSERT_EQ(orders.size(), 400u);
  ExpectAllFinalWithResults(orders);
  // The second run changed only what the first left open.
  EXPECT_EQ(report["orders_completed"].get<int>() + report["orders_rejected"].get<int>(),
            400 - final_at_kill)
      << report.dump();
}

TEST(SyncAgainstSim, SyncRunsUntilStoppedAndThenReports) {
  Sim sim(With(kQuickOrders, {"--seed", "16"}));
  ASSERT_FALSE(sim.url().empty());
  SyncRun run(sim, 8700000, 30);
  run.PlaceAll();
  ChildProcess sync({ImeiflowBinary(), "sync", "--json"}, run.env(), run.dir().File("sync.out"),
                    run.dir().File("sync.err"));
  bool all_final = WaitFor([&] { return CountFinal(ReadOrders(run.DatabasePath())) == 30; },
                           std::chrono::seconds(60));
  ASSERT_TRUE(all_final) << ReadAll(run.dir().File("sync.err"));
  EXPECT_FALSE(sync.Exited()) << "sync without a flag runs until stopped";
  sync.Signal(SIGINT);
  EXPECT_EQ(sync.WaitFor(std::chrono::seconds(30)), 0) << ReadAll(run.dir().File("sync.err"));
  nlohmann::json report =
      nlohmann::json::parse(ReadAll(run.dir().File("sync.out")), nullptr, false);
  ASSERT_TRUE(report.is_object()) << ReadAll(run.dir().File("sync.out"));
  EXPECT_EQ(report["left"]["pending"], 0) << report.dump();
  EXPECT_EQ(report["orders_completed"].get<int>() + report["orders_rejected"].get<int>(), 30)
      << report.dump();
}

TEST(SyncAgainstSim, OnceAsksAboutEveryOpenOrderWhateverTheSchedule) {
  // The simulator keeps its orders pending for 100 s; the default schedule
  // would first ask a minute after placing.
  Sim sim({"--process-after-ms", "100000", "--complete-after-ms", "200000"});
  ASSERT_FALSE(sim.url().empty());
  SyncRun run(sim, 8500000, 120);
  run.env().erase("IMEIFLOW_SYNC_FIRST_POLL_S");
  run.env().erase("IMEIFLOW_SYNC_MAX_POLL_INTERVAL_S");
  run.PlaceAll();
  int64_t calls_before = sim.Stats()["calls"]["getimeis"].get<int64_t>();
  EXPECT_EQ(calls_before, 0);  // nothing was due while `work` ran

  nlohmann::json report = run.Sync({"--once"});
  EXPECT_EQ(report["orders_asked"], 120) << report.dump();
  EXPECT_EQ(report["polls"], 3) << report.dump();  // 50 + 50 + 20
  EXPECT_EQ(report["left"]["pending"], 120) << report.dump();
  EXPECT_EQ(sim.Stats()["calls"]["getimeis"].get<int64_t>(), 3);
  for (const StoredOrder& o : ReadOrders(run.DatabasePath())) EXPECT_EQ(o.polls, 1) << o.imei;

  // The text report.
  ProcessRun text = run.Imeiflow({"sync", "--once"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("left: 120 pending"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace imeiflow::integration
