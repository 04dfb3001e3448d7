// Cancel during a faulty run, end to end: the built `imeiflow` (submit, work,
// cancel --json) against the real imeiflow-sim on 127.0.0.1 with resets, 503s
// and hangs, in both duplicate modes, cancelled at several moments chosen by
// condition (calls the simulator has seen, or items waiting to learn whether
// a call was charged). After each run the simulator's ledger judges the
// database: every charged IMEI is an order or an item in review, never
// cancelled, failed or left queued; none is charged twice; the spending the
// database counts is the ledger's charge for the IMEIs it holds as orders, to
// the cent (no rejections: --reject-ratio 0, so no refunds).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/money.h"
#include "process_util.h"
#include "sim/imei_check.h"
#include "store/database.h"
#include "store/job_repository.h"

namespace imeiflow::integration {
namespace {

constexpr const char* kService = "1739";  // $0.08 in the simulator's catalogue
constexpr int kImeis = 200;

// When the test cancels: once the simulator has seen `calls` placeorder
// calls, or once `waiting` items may be charged without an order yet
// (queued to be resent after a call that may have landed, or in review).
struct Moment {
  const char* name;
  int calls = 0;
  int waiting = 0;
};

constexpr Moment kMoments[] = {
    {"after 1 call", 1, 0},
    {"after 40 calls", 40, 0},
    {"after 120 calls", 120, 0},
    {"with 1 item waiting to learn", 0, 1},
    {"with 3 items waiting to learn", 0, 3},
};

// One variation: the simulator's faults and duplicate mode.
struct Variation {
  bool refuses_duplicates = true;
  std::vector<std::string> faults;
  uint32_t seed = 1;
};

// What the database holds after a run, read once every process has ended.
struct Outcome {
  std::map<std::string, std::string> state_by_imei;
  std::map<std::string, int> orders_by_imei;
  int64_t spent_cents = 0;
};

// Runs `sql` on `db`, calling `row` per result row; false on an error.
bool ForEachRow(store::Database& db, const std::string& sql,
                const std::function<void(const store::Statement&)>& row) {
  Result<store::Statement> st = db.Prepare(sql);
  if (!st.ok()) return false;
  for (Result<bool> more = st->Step(); more.ok() && *more; more = st->Step()) row(*st);
  return true;
}

Outcome ReadOutcome(const std::string& path) {
  Outcome out;
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
  if (!db.ok()) {
    ADD_FAILURE() << path << ": " << db.status().message();
    return out;
  }
  EXPECT_TRUE(ForEachRow(**db, "SELECT imei, state FROM items", [&](const store::Statement& s) {
    out.state_by_imei[s.ColumnText(0)] = s.ColumnText(1);
  }));
  EXPECT_TRUE(ForEachRow(**db, "SELECT imei FROM orders", [&](const store::Statement& s) {
    ++out.orders_by_imei[s.ColumnText(0)];
  }));
  EXPECT_TRUE(ForEachRow(**db, "SELECT coalesce(sum(cents), 0) FROM spending",
                         [&](const store::Statement& s) { out.spent_cents = s.ColumnInt(0); }));
  return out;
}

// Waits (polling, up to 20 s) until `moment` holds or `work` has ended.
void WaitFor(const Moment& moment, const Sim& sim, const std::string& db_path, ChildProcess& work) {
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(db_path);
  ASSERT_TRUE(db.ok()) << db.status().message();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline && !work.Exited()) {
    if (moment.calls > 0) {
      nlohmann::json stats = sim.Stats();
      if (stats.is_object() && stats["calls"]["placeorder"].get<int>() >= moment.calls) return;
    } else {
      int64_t waiting = 0;
      ForEachRow(**db,
                 "SELECT count(*) FROM items WHERE state = 'uncertain'"
                 " OR (state = 'queued' AND after_uncertain = 1)",
                 [&](const store::Statement& s) { waiting = s.ColumnInt(0); });
      if (waiting >= moment.waiting) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Totals over every run, for the figures and the closing check.
struct Totals {
  int64_t cancelled = 0;
  int64_t kept_resending = 0;
  int64_t kept_in_flight = 0;
  int64_t in_review = 0;
};

// One run: a fresh simulator and database, `work` running, cancel at
// `moment`, work to the end, then the ledger against the database.
void CancelDuringRun(const Variation& v, const Moment& moment, uint64_t first_imei,
                     Totals& totals) {
  std::vector<std::string> options = {"--latency-ms",   "5",
                                      "--jitter-ms",    "5",
                                      "--reject-ratio", "0",
                                      "--seed",         std::to_string(v.seed),
                                      "--duplicates",   v.refuses_duplicates ? "refuse" : "charge"};
  options.insert(options.end(), v.faults.begin(), v.faults.end());
  Sim sim(options);
  ASSERT_FALSE(sim.url().empty());
  TempDir dir;
  std::map<std::string, std::string> env = SupplierEnv(sim.url());
  env["IMEIFLOW_DB"] = dir.File("t.db");
  env["IMEIFLOW_LOG_LEVEL"] = "warn";
  env["IMEIFLOW_UPSTREAM_TIMEOUT_S"] = "1";
  env["IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES"] = v.refuses_duplicates ? "true" : "false";
  {
    std::ofstream file(dir.File("imeis.txt"));
    for (int i = 0; i < kImeis; ++i) file << sim::NthImei(first_imei + i) << "\n";
  }
  ProcessRun submit = RunImeiflow({"submit", "--yes", "--service", kService, dir.File("imeis.txt")}, env);
  ASSERT_EQ(submit.exit_code, 0) << submit.err;

  ChildProcess work({ImeiflowBinary(), "work", "--until-idle"}, env, dir.File("work.out"),
                    dir.File("work.err"));
  WaitFor(moment, sim, dir.File("t.db"), work);
  ProcessRun cancel = RunImeiflow({"cancel", "1", "--json"}, env);
  ASSERT_EQ(cancel.exit_code, 0) << cancel.out << cancel.err;
  nlohmann::json done = nlohmann::json::parse(cancel.out, nullptr, false);
  ASSERT_TRUE(done.is_object()) << cancel.out;
  EXPECT_EQ(done["id"], 1);
  totals.cancelled += done["cancelled"].get<int64_t>();
  totals.kept_resending += done["kept_resending"].get<int64_t>();
  totals.kept_in_flight += done["kept_in_flight"].get<int64_t>();
  totals.in_review += done["in_review"].get<int64_t>();
  EXPECT_EQ(work.WaitFor(std::chrono::seconds(60)), 0) << ReadAll(dir.File("work.err"));

  Outcome db = ReadOutcome(dir.File("t.db"));
  ASSERT_EQ(db.state_by_imei.size(), static_cast<size_t>(kImeis));
  std::map<std::string, int64_t> charged_cents;  // per IMEI, from the ledger
  for (const auto& row : sim.Ledger()) {
    ASSERT_GT(row.size(), 4u);
    Result<Money> price = Money::Parse(row[4]);
    ASSERT_TRUE(price.ok()) << row[4];
    charged_cents[row[3]] += price->cents();
  }
  int64_t ordered_cents = 0;
  for (const auto& [imei, n] : sim.ChargesByImei()) {
    const std::string& state = db.state_by_imei[imei];
    EXPECT_EQ(n, 1) << imei << " charged " << n << " times";
    bool ordered = state == "accepted" || state == "accepted_unconfirmed";
    EXPECT_TRUE(ordered || state == "uncertain") << imei << " was charged but is " << state;
    if (ordered) ordered_cents += charged_cents[imei];
  }
  int64_t in_review = 0;
  for (const auto& [imei, state] : db.state_by_imei) {
    EXPECT_NE(state, "queued") << imei;
    EXPECT_NE(state, "in_flight") << imei;
    in_review += state == "uncertain";
    if (state == "accepted" || state == "accepted_unconfirmed") {
      EXPECT_EQ(db.orders_by_imei[imei], 1) << imei << " is " << state;
      EXPECT_EQ(charged_cents.count(imei), 1u) << imei << " is " << state << " but not charged";
    }
  }
  // Every order is charged once and counted once: the database's spending is
  // what the supplier charged for them, to the cent; whatever else the
  // supplier charged waits in review.
  EXPECT_EQ(db.spent_cents, ordered_cents);
  int64_t review_charged = 0;
  for (const auto& [imei, cents] : charged_cents) {
    if (db.state_by_imei[imei] == "uncertain") review_charged += cents;
  }
  int64_t ledger_total = 0;
  for (const auto& [imei, cents] : charged_cents) ledger_total += cents;
  EXPECT_EQ(db.spent_cents + review_charged, ledger_total);
  std::cout << "[ run      ] " << (v.refuses_duplicates ? "refuse" : "charge") << " seed " << v.seed
            << ", cancel " << moment.name << ": " << cancel.out.substr(0, cancel.out.size() - 1)
            << "; charged " << charged_cents.size() << ", review " << in_review << std::endl;
}

// 2 duplicate modes x 2 fault mixes x 5 moments = 20 runs.
TEST(CancelAgainstFaultySim, NoChargedImeiIsEverCancelledFailedOrForgotten) {
  const std::vector<std::string> resets_and_503s = {"--fault-reset", "0.1", "--fault-503", "0.25"};
  const std::vector<std::string> with_hangs = {"--fault-reset", "0.05", "--fault-hang", "0.05",
                                               "--hang-ms",     "1500", "--fault-503",  "0.2"};
  const std::vector<Variation> variations = {{true, resets_and_503s, 11},
                                             {true, with_hangs, 12},
                                             {false, resets_and_503s, 13},
                                             {false, with_hangs, 14}};
  Totals totals;
  uint64_t first_imei = 9100000;
  for (const Variation& v : variations) {
    for (const Moment& moment : kMoments) {
      SCOPED_TRACE(::testing::Message() << (v.refuses_duplicates ? "refuse" : "charge") << " seed "
                                        << v.seed << ", cancel " << moment.name);
      CancelDuringRun(v, moment, first_imei, totals);
      first_imei += kImeis;
    }
  }
  ::testing::Test::RecordProperty("cancelled", std::to_string(totals.cancelled));
  ::testing::Test::RecordProperty("kept_resending", std::to_string(totals.kept_resending));
  std::cout << "[ figure   ] cancelled " << totals.cancelled << ", kept resending "
            << totals.kept_resending << ", kept in flight " << totals.kept_in_flight
            << ", in review " << totals.in_review << std::endl;
  // The runs reached what cancel must not touch: items resent to learn
  // whether an earlier call was charged, and calls in flight.
  EXPECT_GT(totals.kept_resending, 0);
  EXPECT_GT(totals.kept_in_flight, 0);
  EXPECT_GT(totals.cancelled, 0);
}

// The store writes the audit row of `cancel` and `retry` with the change,
// for the CLI as for the web; a refused change writes none.
TEST(CancelAndRetryCli, LeaveAnAuditRowNamingWhoAndWhatOnlyWhenTheyChangeSomething) {
  TempDir dir;
  const std::string path = dir.File("t.db");
  {
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
    ASSERT_TRUE(db.ok()) << db.status().message();
    store::JobRepository jobs(**db);
    store::NewJob job;
    job.service_id = kService;
    job.price = Money::FromCents(8);
    std::vector<store::NewItem> items = {{1, "352099001761481", "352099001761481", true, ""}};
    ASSERT_TRUE(jobs.Create(job, items, 0).ok());
    items[0].imei = items[0].input = "490154203237518";
    ASSERT_TRUE(jobs.Create(job, items, 0).ok());
    ASSERT_TRUE((*db)->Exec("UPDATE items SET state = 'failed' WHERE job_id = 2").ok());
  }
  const std::map<std::string, std::string> env = {{"USER", "tester"}, {"IMEIFLOW_DB", path}};
  ProcessRun cancel = RunImeiflow({"cancel", "1"}, env);
  ASSERT_EQ(cancel.exit_code, 0) << cancel.err;
  ProcessRun retry = RunImeiflow({"retry", "2"}, env);
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  ProcessRun refused = RunImeiflow({"retry", "1"}, env);  // cancelled: not retried
  EXPECT_NE(refused.exit_code, 0) << refused.out;
  ProcessRun missing = RunImeiflow({"cancel", "99"}, env);
  EXPECT_NE(missing.exit_code, 0) << missing.out;

  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
  ASSERT_TRUE(db.ok()) << db.status().message();
  std::vector<std::string> rows;
  ASSERT_TRUE(ForEachRow(**db, "SELECT actor || ' ' || action || ' ' || detail FROM audit",
                         [&](const store::Statement& s) { rows.push_back(s.ColumnText(0)); }));
  EXPECT_EQ(rows,
            (std::vector<std::string>{"cli:tester job.cancel Job 1: 1 queued IMEIs cancelled",
                                      "cli:tester job.retry Job 2: 1 failed IMEIs queued again"}));
}

}  // namespace
}  // namespace imeiflow::integration
