// The exactly-once dispatcher end to end: the built `imeiflow` (submit, work,
// review, doctor) against the real imeiflow-sim process on 127.0.0.1, with
// the supplier misbehaving in every way the simulator can play, and killed at
// random moments. Two judges: the simulator's ledger of charged orders, and
// the database the runs leave behind (read once every process has ended).
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "process_util.h"
#include "sim/imei_check.h"
#include "store/database.h"

namespace imeiflow::integration {
namespace {

constexpr const char* kService = "1739";  // $0.08 in the simulator's catalogue

// Everything one test needs besides the simulator: a temporary directory with
// the database and the IMEI file, and the environment every run gets.
class DispatchRun {
 public:
  // `count` fresh IMEIs (distinct across tests through `first`) for `sim`.
  DispatchRun(const Sim& sim, uint64_t first, int count) : env_(SupplierEnv(sim.url())) {
    env_["IMEIFLOW_DB"] = DatabasePath();
    env_["IMEIFLOW_LOG_LEVEL"] = "warn";
    std::ofstream out(ImeiFile());
    for (int i = 0; i < count; ++i) {
      imeis_.push_back(sim::NthImei(first + i));
      out << imeis_.back() << "\n";
    }
  }

  std::map<std::string, std::string>& env() { return env_; }
  const std::map<std::string, std::string>& env() const { return env_; }
  const std::vector<std::string>& imeis() const { return imeis_; }
  std::string ImeiFile() const { return dir_.File("imeis.txt"); }
  std::string DatabasePath() const { return dir_.File("t.db"); }
  const TempDir& dir() const { return dir_; }

  // `imeiflow <args>` with this run's environment, to completion.
  ProcessRun Imeiflow(std::vector<std::string> args) const {
    return RunImeiflow(std::move(args), env_);
  }

 private:
  TempDir dir_;
  std::map<std::string, std::string> env_;
  std::vector<std::string> imeis_;
};

// What the database says about the items, read after every process ended.
struct DatabaseView {
  std::map<std::string, std::string> state_by_imei;
  std::map<std::string, int> count_by_state;
  std::map<std::string, std::string> settings;
  int64_t spent_cents = 0;

  int Count(const std::string& state) const {
    auto it = count_by_state.find(state);
    return it == count_by_state.end() ? 0 : it->second;
  }
  std::string StateOf(const std::string& imei) const {
    auto it = state_by_imei.find(imei);
    return it == state_by_imei.end() ? "(missing)" : it->second;
  }
};

DatabaseView ReadDatabase(const std::string& path) {
  DatabaseView view;
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
  if (!db.ok()) {
    ADD_FAILURE() << "cannot open " << path << ": " << db.status().message();
    return view;
  }
  auto query = [&](const char* sql, const std::function<void(const store::Statement&)>& row) {
    Result<store::Statement> st = (*db)->Prepare(sql);
    if (!st.ok()) {
      ADD_FAILURE() << sql << ": " << st.status().message();
      return;
    }
    for (Result<bool> more = st->Step(); more.ok() && *more; more = st->Step()) row(*st);
  };
  query("SELECT imei, state FROM items", [&](const store::Statement& s) {
    if (!view.state_by_imei.emplace(s.ColumnText(0), s.ColumnText(1)).second) {
      ADD_FAILURE() << "IMEI " << s.ColumnText(0) << " is in the job twice";
    }
    ++view.count_by_state[s.ColumnText(1)];
  });
  query("SELECT key, value FROM settings",
        [&](const store::Statement& s) { view.settings[s.ColumnText(0)] = s.ColumnText(1); });
  query("SELECT COALESCE(SUM(cents), 0) FROM spending",
        [&](const store::Statement& s) { view.spent_cents = s.ColumnInt(0); });
  return view;
}

// "" for no IMEIs, else how many and the first few (for failure messages).
std::string Sample(const std::vector<std::string>& imeis) {
  if (imeis.empty()) return "";
  std::string text = std::to_string(imeis.size()) + ":";
  for (size_t i = 0; i < imeis.size() && i < 5; ++i) text += " " + imeis[i];
  return text;
}

// The IMEIs the ledger charged more than once (should be none).
std::vector<std::string> ChargedTwice(const std::map<std::string, int>& charges) {
  std::vector<std::string> twice;
  for (const auto& [imei, n] : charges) {
    if (n > 1) twice.push_back(imei);
  }
  return twice;
}

// The ledger IMEIs whose item is in none of `states`.
std::vector<std::string> ChargedButNotIn(const std::map<std::string, int>& charges,
                                         const DatabaseView& db,
                                         const std::set<std::string>& states) {
  std::vector<std::string> wrong;
  for (const auto& [imei, n] : charges) {
    if (!states.count(db.StateOf(imei))) wrong.push_back(imei + " " + db.StateOf(imei));
  }
  return wrong;
}

// The IMEIs the database calls `state` that the ledger never charged.
std::vector<std::string> InStateButNotCharged(const DatabaseView& db,
                                              const std::map<std::string, int>& charges,
                                              const std::string& state) {
  std::vector<std::string> wrong;
  for (const auto& [imei, s] : db.state_by_imei) {
    if (s == state && !charges.count(imei)) wrong.push_back(imei);
  }
  return wrong;
}

std::set<std::string> ImeisInState(const DatabaseView& db, const std::string& state) {
  std::set<std::string> imeis;
  for (const auto& [imei, s] : db.state_by_imei) {
    if (s == state) imeis.insert(imei);
  }
  return imeis;
}

// `imeiflow submit --wait --json` for the run's file; the parsed summary.
nlohmann::json SubmitAndWait(const DispatchRun& run, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"submit", "--service", kService, "--yes", "--wait", "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(run.ImeiFile());
  ProcessRun submit = run.Imeiflow(args);
  nlohmann::json summary = nlohmann::json::parse(submit.out, nullptr, false);
  EXPECT_TRUE(summary.is_object()) << submit.out << submit.err;
  // 4: items wait for review at the end.
  const bool review = summary.is_object() && summary["counts"]["uncertain"] != 0;
  EXPECT_EQ(submit.exit_code, review ? 4 : 0) << submit.err;
  return summary;
}

// Starts `imeiflow work --until-idle` and kills it (SIGKILL) after a random
// pause of 40..200 ms (seeded by `seed`), `times` times or until a run ends by
// itself before its kill. Returns how many kills landed.
int KillWorkRepeatedly(const DispatchRun& run, int times, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pause_ms(40, 200);
  std::vector<std::string> args = {ImeiflowBinary(), "work", "--until-idle"};
  int kills = 0;
  for (int i = 0; i < times; ++i) {
    ChildProcess work(args, run.env(), run.dir().File("work.out"), run.dir().File("work.err"));
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
    if (work.Exited()) break;  // finished before the kill: nothing left to interrupt
    work.Signal(SIGKILL);
    work.Wait();
    ++kills;
  }
  return kills;
}

// Prints a measured figure in the test log and records it in the XML report.
void Figure(const std::string& name, const std::string& value) {
  std::cout << "[ figure   ] " << name << " = " << value << std::endl;
  ::testing::Test::RecordProperty(name, value);
}

TEST(DispatchAgainstSim, BatchDroppingSupplierSwitchesToOneImeiPerCall) {
  Sim sim({"--batch", "last"});
  ASSERT_FALSE(sim.url().empty());
  DispatchRun run(sim, 1000000, 5000);
  nlohmann::json summary = SubmitAndWait(run, {"--batch-size", "100"});
  EXPECT_EQ(summary["total"], 5000);
  EXPECT_EQ(summary["counts"]["accepted"], 5000) << summary.dump();

  std::map<std::string, int> charges = sim.ChargesByImei();
  EXPECT_EQ(sim.Ledger().size(), 5000u);
  EXPECT_EQ(charges.size(), 5000u);
  EXPECT_EQ(Sample(ChargedTwice(charges)), "");
  for (const std::string& imei : run.imeis()) ASSERT_EQ(charges[imei], 1) << imei;

  DatabaseView db = ReadDatabase(run.DatabasePath());
  EXPECT_EQ(db.Count("accepted"), 5000);
  EXPECT_TRUE(db.settings.count("upstream.one_imei_per_call"));
  ProcessRun doctor = run.Imeiflow({"doctor"});
  EXPECT_NE(doctor.out.find("one IMEI per call"), std::string::npos) << doctor.out << doctor.err;
  nlohmann::json stats = sim.Stats();
  Figure("batch_dropped", stats["batch_dropped"].dump());
}

TEST(DispatchAgainstSim, ChargingSupplierResetsLeaveTheCutItemsUncertain) {
  Sim sim({"--fault-reset", "0.05", "--duplicates", "charge", "--seed", "21"});
  ASSERT_FALSE(sim.url().empty());
  DispatchRun run(sim, 2000000, 2000);
  run.env()["IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES"] = "false";
  nlohmann::json summary = SubmitAndWait(run);

  std::map<std::string, int> charges = sim.ChargesByImei();
  EXPECT_EQ(Sample(ChargedTwice(charges)), "");
  EXPECT_EQ(charges.size(), 2000u);
  DatabaseView db = ReadDatabase(run.DatabasePath());
  EXPECT_EQ(Sample(ChargedButNotIn(charges, db, {"accepted", "uncertain"})), "");
  EXPECT_EQ(Sample(InStateButNotCharged(db, charges, "accepted")), "");
  int resets = sim.Stats()["faults"]["reset"];
  EXPECT_GT(resets, 0);
  EXPECT_EQ(db.Count("uncertain"), resets);
  EXPECT_EQ(db.Count("accepted") + db.Count("uncertain"), 2000);
  EXPECT_EQ(summary["counts"]["uncertain"], resets) << summary.dump();

  // The uncertain items are exactly the ones whose answer the reset cut.
  std::set<std::string> cut;
  for (const auto& row : sim.Ledger()) {
    if (row.size() > 6 && row[6] == "reset") cut.insert(row[3]);
  }
  EXPECT_EQ(ImeisInState(db, "uncertain"), cut);
  ProcessRun review = run.Imeiflow({"review", "--json"});
  ASSERT_EQ(review.exit_code, 0) << review.err;
  nlohmann::json listed = nlohmann::json::parse(review.out, nullptr, false);
  ASSERT_TRUE(listed.is_object()) << review.out;
  std::set<std::string> in_review;
  for (const auto& item : listed["items"]) in_review.insert(item["imei"].get<std::string>());
  EXPECT_EQ(in_review, cut);
  Figure("resets", std::to_string(resets));
  Figure("uncertain", std::to_string(db.Count("uncertain")));
}

TEST(DispatchAgainstSim, RefusingSupplierResetsEndConfirmedWithoutDoubleCharge) {
  Sim sim({"--fault-reset", "0.05", "--duplicates", "refuse", "--seed", "22"});
  ASSERT_FALSE(sim.url().empty());
  DispatchRun run(sim, 3000000, 2000);
  nlohmann::json summary = SubmitAndWait(run);

  std::map<std::string, int> charges = sim.ChargesByImei();
  EXPECT_EQ(Sample(ChargedTwice(charges)), "");
  DatabaseView db = ReadDatabase(run.DatabasePath());
  EXPECT_EQ(db.Count("uncertain"), 0);
  EXPECT_EQ(Sample(ChargedButNotIn(charges, db, {"accepted", "accepted_unconfirmed"})), "");
  EXPECT_EQ(Sample(InStateButNotCharged(db, charges, "accepted")), "");
  EXPECT_EQ(Sample(InStateButNotCharged(db, charges, "accepted_unconfirmed")), "");
  EXPECT_EQ(sim.Ledger().size(), 2000u);
  EXPECT_EQ(db.Count("accepted") + db.Count("accepted_unconfirmed"), 2000);
  int resets = sim.Stats()["faults"]["reset"];
  EXPECT_GT(db.Count("accepted_unconfirmed"), 0);
  EXPECT_LE(db.Count("accepted_unconfirmed"), resets);
  ProcessRun review = run.Imeiflow({"review", "--json"});
  EXPECT_EQ(nlohmann::json::parse(review.out, nullptr, false)["items"].size(), 0u) << review.out;
  Figure("resets", std::to_string(resets));
  Figure("accepted_unconfirmed", std::to_string(db.Count("accepted_unconfirmed")));
  EXPECT_EQ(summary["counts"]["accepted_unconfirmed"], db.Count("accepted_unconfirmed"));
}

TEST(DispatchAgainstSim, ConcurrencyLimitedSupplierSeesFew429s) {
  Sim sim({"--max-concurrent", "10", "--latency-ms", "5"});
  ASSERT_FALSE(sim.url().empty());
  DispatchRun run(sim, 4000000, 2000);
  run.env()["IMEIFLOW_DISPATCH_MAX_IN_FLIGHT"] = "64";
  nlohmann::json summary = SubmitAndWait(run);
  EXPECT_EQ(summary["counts"]["accepted"], 2000) << summary.dump();

  std::map<std::string, int> charges = sim.ChargesByImei();
  EXPECT_EQ(charges.size(), 2000u);
  EXPECT_EQ(Sample(ChargedTwice(charges)), "");
  DatabaseView db = ReadDatabase(run.DatabasePath());
  EXPECT_EQ(db.Count("accepted"), 2000);
  nlohmann::json stats = sim.Stats();
  double rejected = stats["rejected_429"].get<double>();
  double calls = stats["calls"]["total"].get<double>();
  ASSERT_GT(calls, 0);
  EXPECT_LT(rejected / calls, 0.10) << stats.dump();
  Figure("rejected_429", stats["rejected_429"].dump());
  Figure("calls", stats["calls"]["total"].dump());
  Figure("fraction_429", std::to_string(rejected / calls));
  Figure("max_in_progress", stats["max_in_progress"].dump());
}

TEST(DispatchAgainstSim, ServerErrorsHangsAndOddAnswersStillOrderEachImeiOnce) {
  Sim sim({"--fault-500", "0.05", "--fault-hang", "0.01", "--hang-ms", "2500", "--fault-phpxml",
           "0.3", "--gzip", "--seed", "23"});
  ASSERT_FALSE(sim.url().empty());
  DispatchRun run(sim, 5000000, 1000);
  run.env()["IMEIFLOW_UPSTREAM_TIMEOUT_S"] = "1";
  nlohmann::json summary = SubmitAndWait(run);

  std::map<std::string, int> charges = sim.ChargesByImei();
  EXPECT_EQ(Sample(ChargedTwice(charges)), "");
  DatabaseView db = ReadDatabase(run.DatabasePath());
  EXPECT_EQ(db.Count("accepted") + db.Count("accepted_unconfirmed"), 1000) << summary.dump();
  EXPECT_EQ(charges.size(), 1000u);
  EXPECT_EQ(Sample(ChargedButNotIn(charges, db, {"accepted", "accepted_unconfirmed"})), "");
  EXPECT_EQ(Sample(InStateButNotCharged(db, charges, "accepted")), "");
  EXPECT_EQ(Sample(InStateButNotCharged(db, charges, "accepted_unconfirmed")), "");
  nlohmann::json stats = sim.Stats();
  EXPECT_GT(stats["faults"]["http500_committed"].get<int>(), 0) << stats.dump();
  EXPECT_GT(stats["faults"]["http500_uncommitted"].get<int>(), 0) << stats.dump();
  EXPECT_GT(stats["faults"]["hang"].get<int>(), 0) << stats.dump();
  EXPECT_GT(stats["faults"]["phpxml"].get<int>(), 0) << stats.dump();
  Figure("faults", stats["faults"].dump());
  Figure("accepted_unconfirmed", std::to_string(db.Count("accepted_unconfirmed")));
}

TEST(DispatchAgainstSim, KilledAtRandomMomentsNeverChargesTwiceNorLosesAnOrder) {
  // 30 ms per call holds the dispatcher to 2,100 calls/s (64 in flight) and
  // every restart slow-starts from 4 in flight, so the 20 pauses of 40..200 ms
  // end well before the 5,000 items do (about 1,800 charged on an idle
  // machine; 20 ms left too little margin there); kills land both in slow
  // start and at full flight.
  Sim sim({"--duplicates", "charge", "--latency-ms", "30"});
  ASSERT_FALSE(sim.url().empty());
  DispatchRun run(sim, 6000000, 5000);
  run.env()["IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES"] = "false";
  ProcessRun submit = run.Imeiflow({"submit", "--service", kService, "--yes", run.ImeiFile()});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;

  int kills = KillWorkRepeatedly(run, 20, 20261129);
  size_t charged_before_last_run = sim.Ledger().size();
  ProcessRun last = run.Imeiflow({"work", "--until-idle"});
  ASSERT_EQ(last.exit_code, 0) << last.err;

  std::map<std::string, int> charges = sim.ChargesByImei();
  EXPECT_EQ(Sample(ChargedTwice(charges)), "");
  DatabaseView db = ReadDatabase(run.DatabasePath());
  EXPECT_EQ(db.state_by_imei.size(), 5000u);
  EXPECT_EQ(Sample(ChargedButNotIn(charges, db, {"accepted", "uncertain"})), "");
  EXPECT_EQ(Sample(InStateButNotCharged(db, charges, "accepted")), "");
  EXPECT_EQ(db.Count("queued"), 0);
  EXPECT_EQ(db.Count("in_flight"), 0);
  EXPECT_EQ(db.Count("accepted") + db.Count("uncertain"), 5000);
  int uncertain_uncharged = static_cast<int>(InStateButNotCharged(db, charges, "uncertain").size());
  ProcessRun review = run.Imeiflow({"review", "--json"});
  EXPECT_EQ(nlohmann::json::parse(review.out, nullptr, false)["items"].size(),
            static_cast<size_t>(db.Count("uncertain")))
      << review.out;
  Figure("kills", std::to_string(kills));
  Figure("charged_before_last_run", std::to_string(charged_before_last_run));
  Figure("uncertain", std::to_string(db.Count("uncertain")));
  Figure("uncertain_not_charged", std::to_string(uncertain_uncharged));
  EXPECT_EQ(kills, 20);  // every kill landed mid-run
}

// With a supplier that refuses duplicates, what a kill left in flight is sent
// again after the restart: every IMEI ends ordered exactly once, none uncertain.
TEST(DispatchAgainstSim, RefusingSupplierKilledAtRandomMomentsOrdersEachImeiOnce) {
  Sim sim({"--duplicates", "refuse", "--latency-ms", "30"});  // as above: kills land mid-run
  ASSERT_FALSE(sim.url().empty());
  DispatchRun run(sim, 8000000, 2000);
  ProcessRun submit = run.Imeiflow({"submit", "--service", kService, "--yes", run.ImeiFile()});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  int kills = KillWorkRepeatedly(run, 10, 20261130);
  ProcessRun last = run.Imeiflow({"work", "--until-idle"});
  ASSERT_EQ(last.exit_code, 0) << last.err;

  std::map<std::string, int> charges = sim.ChargesByImei();
  EXPECT_EQ(Sample(ChargedTwice(charges)), "");
  EXPECT_EQ(charges.size(), 2000u);
  DatabaseView db = ReadDatabase(run.DatabasePath());
  EXPECT_EQ(db.Count("uncertain"), 0);
  EXPECT_EQ(db.Count("accepted") + db.Count("accepted_unconfirmed"), 2000);
  EXPECT_EQ(Sample(ChargedButNotIn(charges, db, {"accepted", "accepted_unconfirmed"})), "");
  EXPECT_GT(db.Count("accepted_unconfirmed"), 0);  // some kills cut calls the supplier applied
  Figure("kills", std::to_string(kills));
  Figure("accepted_unconfirmed", std::to_string(db.Count("accepted_unconfirmed")));
  EXPECT_EQ(kills, 10);
}

TEST(DispatchAgainstSim, DailyCapPausesDispatchAtTheCap) {
  Sim sim;
  ASSERT_FALSE(sim.url().empty());
  DispatchRun run(sim, 7000000, 200);
  run.env()["IMEIFLOW_SPENDING_DAILY_CAP"] = "8.00";
  ProcessRun submit = run.Imeiflow({"submit", "--service", kService, "--yes", run.ImeiFile()});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  ProcessRun work = run.Imeiflow({"work", "--until-idle"});
  EXPECT_EQ(work.exit_code, 1) << work.out << work.err;
  EXPECT_NE(work.err.find("daily spending cap of $8.00 reached"), std::string::npos) << work.err;

  std::map<std::string, int> charges = sim.ChargesByImei();
  EXPECT_EQ(sim.Ledger().size(), 100u);
  EXPECT_EQ(charges.size(), 100u);
  DatabaseView db = ReadDatabase(run.DatabasePath());
  EXPECT_EQ(db.Count("accepted"), 100);
  EXPECT_EQ(db.Count("queued"), 100);
  EXPECT_EQ(db.spent_cents, 800);
  EXPECT_EQ(Sample(ChargedButNotIn(charges, db, {"accepted"})), "");
}

// `submit --wait` must not wait silently for the next day once the cap
// pauses dispatch: it prints the counts, names the cap and exits 1.
TEST(DispatchAgainstSim, SubmitWaitEndsWhenTheDailyCapPausesDispatch) {
  Sim sim;
  ASSERT_FALSE(sim.url().empty());
  DispatchRun run(sim, 9000000, 200);
  run.env()["IMEIFLOW_SPENDING_DAILY_CAP"] = "8.00";
  ProcessRun submit =
      run.Imeiflow({"submit", "--service", kService, "--yes", "--wait", "--json", run.ImeiFile()});
  EXPECT_EQ(submit.exit_code, 1) << submit.err;
  EXPECT_NE(submit.err.find("daily spending cap of $8.00 reached"), std::string::npos)
      << submit.err;
  nlohmann::json summary = nlohmann::json::parse(submit.out, nullptr, false);
  ASSERT_TRUE(summary.is_object()) << submit.out;
  EXPECT_EQ(summary["counts"]["accepted"], 100);
  EXPECT_EQ(summary["counts"]["queued"], 100);
  EXPECT_EQ(sim.Ledger().size(), 100u);
}

}  // namespace
}  // namespace imeiflow::integration

namespace imeiflow::integration {
namespace {

TEST(DispatchAgainstSim, SigtermStopsSendingLetsCallsInFlightFinishAndLeavesTheRestQueued) {
  // 400 ms per call: when SIGTERM comes, calls are in flight and most items
  // are still queued.
  Sim sim({"--latency-ms", "400"});
  ASSERT_FALSE(sim.url().empty());
  DispatchRun run(sim, 8000000, 300);
  ProcessRun submit = run.Imeiflow({"submit", "--service", kService, "--yes", run.ImeiFile()});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;

  ChildProcess work({ImeiflowBinary(), "work"}, run.env(), run.dir().File("work.out"),
                    run.dir().File("work.err"));
  // Once an order is placed, calls keep going out while most items wait.
  ASSERT_TRUE(WaitForPlaceOrders(sim, 1, std::chrono::seconds(20)))
      << ReadAll(run.dir().File("work.err"));
  ASSERT_FALSE(work.Exited()) << ReadAll(run.dir().File("work.err"));
  work.Signal(SIGTERM);
  EXPECT_EQ(work.WaitFor(std::chrono::seconds(20)), 0) << ReadAll(run.dir().File("work.err"));

  // Everything the supplier charged is recorded; nothing was left in flight
  // or uncertain; what was not sent waits, queued, for the next dispatcher.
  std::map<std::string, int> charges = sim.ChargesByImei();
  DatabaseView db = ReadDatabase(run.DatabasePath());
  EXPECT_GT(charges.size(), 0u);
  EXPECT_EQ(Sample(ChargedTwice(charges)), "");
  EXPECT_EQ(Sample(ChargedButNotIn(charges, db, {"accepted"})), "");
  EXPECT_EQ(db.Count("accepted"), static_cast<int>(charges.size()));
  EXPECT_EQ(db.Count("in_flight"), 0);
  EXPECT_EQ(db.Count("uncertain"), 0);
  EXPECT_GT(db.Count("queued"), 0);
  EXPECT_EQ(db.Count("accepted") + db.Count("queued"), 300);
  Figure("charged_before_stop", std::to_string(charges.size()));

  // The next dispatcher finishes the job, each IMEI charged once.
  ProcessRun rest = run.Imeiflow({"work", "--until-idle"});
  ASSERT_EQ(rest.exit_code, 0) << rest.err;
  charges = sim.ChargesByImei();
  EXPECT_EQ(charges.size(), 300u);
  EXPECT_EQ(Sample(ChargedTwice(charges)), "");
  EXPECT_EQ(ReadDatabase(run.DatabasePath()).Count("accepted"), 300);
}

}  // namespace
}  // namespace imeiflow::integration
