// `imeiflow submit` end to end: the built program against the real
// imeiflow-sim process on 127.0.0.1. It shows the preview (rejected before
// included) and spends only when asked: no terminal and no --yes creates
// nothing (exit 2), --dry-run creates nothing, a terminal (a pty here) is
// asked "Order N IMEIs for $X? [y/N]"; --skip-rejected leaves out IMEIs
// rejected before; --wait exits 4 when items need review, and
// --until-results returns only once every order has its result. Judges: the
// simulator's ledger and the database the runs leave behind.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "process_util.h"
#include "sim/imei_check.h"
#include "store/database.h"

namespace imeiflow::integration {
namespace {

constexpr const char* kService = "1739";  // $0.08 in the simulator's catalogue

// Orders end (Completed or Rejected) 300 ms after placement.
std::vector<std::string> QuickResults(const std::string& reject_ratio) {
  return {"--process-after-ms", "100",       "--complete-after-ms", "300",
          "--reject-ratio",     reject_ratio};
}

// A database, IMEI files and the environment every run gets.
class SubmitRun {
 public:
  explicit SubmitRun(const Sim& sim) : env_(SupplierEnv(sim.url())) {
    env_["IMEIFLOW_DB"] = DatabasePath();
    env_["IMEIFLOW_LOG_LEVEL"] = "warn";
    env_["IMEIFLOW_SYNC_FIRST_POLL_S"] = "1";
    env_["IMEIFLOW_SYNC_MAX_POLL_INTERVAL_S"] = "1";
  }

  std::map<std::string, std::string>& env() { return env_; }
  const std::map<std::string, std::string>& env() const { return env_; }
  std::string DatabasePath() const { return dir_.File("t.db"); }

  // A file `name` holding `count` IMEIs from the `first`-th; returns its path.
  std::string ImeiFile(const std::string& name, uint64_t first, int count,
                       std::vector<std::string>* imeis = nullptr) const {
    std::ofstream out(dir_.File(name));
    for (int i = 0; i < count; ++i) {
      std::string imei = sim::NthImei(first + i);
      out << imei << "\n";
      if (imeis) imeis->push_back(imei);
    }
    return dir_.File(name);
  }

  ProcessRun Imeiflow(std::vector<std::string> args, const std::string& in = "/dev/null") const {
    return RunImeiflow(std::move(args), env_, in);
  }

  // One number from the database (-1 when the query fails).
  int64_t Count(const std::string& sql) const {
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(DatabasePath());
    if (!db.ok()) return -1;
    Result<store::Statement> st = (*db)->Prepare(sql);
    if (!st.ok()) return -1;
    Result<bool> row = st->Step();
    return row.ok() && *row ? st->ColumnInt(0) : -1;
  }

 private:
  TempDir dir_;
  std::map<std::string, std::string> env_;
};

nlohmann::json Json(const ProcessRun& run) {
  nlohmann::json parsed = nlohmann::json::parse(run.out, nullptr, false);
  EXPECT_TRUE(parsed.is_object()) << run.out << run.err;
  return parsed;
}

TEST(SubmitCli, WithoutATerminalAndWithoutYesItExits2AndCreatesNothing) {
  Sim sim(QuickResults("0"));
  ASSERT_FALSE(sim.url().empty());
  SubmitRun run(sim);
  std::string file = run.ImeiFile("a.txt", 7100000, 20);
  ProcessRun submit = run.Imeiflow({"submit", "--service", kService, file});
  EXPECT_EQ(submit.exit_code, 2) << submit.err;
  EXPECT_NE(submit.err.find("pass --yes"), std::string::npos) << submit.err;
  EXPECT_NE(submit.err.find("to order                 20"), std::string::npos) << submit.err;
  EXPECT_EQ(run.Count("SELECT count(*) FROM jobs"), 0);
  // --json does not stand in for a confirmation either; the IMEIs on
  // standard input leave no terminal to ask on.
  submit = run.Imeiflow({"submit", "--service", kService, "--json", "-"}, file);
  EXPECT_EQ(submit.exit_code, 2) << submit.err;
  EXPECT_EQ(run.Count("SELECT count(*) FROM jobs"), 0);
  EXPECT_TRUE(sim.Ledger().empty());
  // --yes creates the job.
  submit = run.Imeiflow({"submit", "--service", kService, "--yes", "--json", "-"}, file);
  EXPECT_EQ(submit.exit_code, 0) << submit.err;
  EXPECT_EQ(Json(submit)["counts"]["queued"], 20);
  EXPECT_EQ(run.Count("SELECT count(*) FROM jobs"), 1);
}

// Orders 30 IMEIs against a supplier that rejects everything and waits for
// the results; then previews and submits them again with 10 fresh ones.
class RejectedBefore : public ::testing::Test {
 protected:
  RejectedBefore() : sim_(QuickResults("1")), run_(sim_) {}
  void SetUp() override {
    ASSERT_FALSE(sim_.url().empty());
    std::string first = run_.ImeiFile("first.txt", 7200000, 30, &rejected_);
    ProcessRun placed = run_.Imeiflow(
        {"submit", "--service", kService, "--yes", "--wait", "--until-results", first});
    ASSERT_EQ(placed.exit_code, 0) << placed.err;
    ASSERT_EQ(run_.Count("SELECT count(*) FROM orders WHERE status = 'rejected'"), 30);
    // The same 30 and 10 fresh ones.
    std::ofstream out(again_ = run_.DatabasePath() + ".again.txt");
    for (const std::string& imei : rejected_) out << imei << "\n";
    for (int i = 0; i < 10; ++i) out << sim::NthImei(7300000 + i) << "\n";
  }
  Sim sim_;
  SubmitRun run_;
  std::vector<std::string> rejected_;
  std::string again_;
};

TEST_F(RejectedBefore, DryRunJsonListsThemWithTheirReasonsAndCreatesNothing) {
  ProcessRun dry = run_.Imeiflow({"submit", "--service", kService, "--dry-run", "--json", again_});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  nlohmann::json preview = Json(dry);
  EXPECT_EQ(preview["valid"], 40);
  EXPECT_EQ(preview["rejected_before"]["count"], 30);
  EXPECT_EQ(preview["rejected_before"]["skipped"], false);
  EXPECT_EQ(preview["to_order"], 40);
  EXPECT_EQ(preview["estimated_cost"], "3.20");
  std::set<std::string> listed;
  int64_t in_top = 0;
  for (const auto& r : preview["rejected_before"]["imeis"]) {
    listed.insert(r["imei"].get<std::string>());
    EXPECT_FALSE(r["reason"].get<std::string>().empty()) << r.dump();
  }
  for (const auto& r : preview["rejected_before"]["top_reasons"]) in_top += r["count"].get<int>();
  EXPECT_EQ(listed, std::set<std::string>(rejected_.begin(), rejected_.end()));
  EXPECT_EQ(in_top, 30);  // the simulator has fewer than kTopReasons reasons
  // The reasons are the supplier's own: the codes of the rejected orders.
  EXPECT_EQ(
      run_.Count(fmt::format("SELECT count(*) FROM orders WHERE imei = '{}' AND code = '{}'",
                             preview["rejected_before"]["imeis"][0]["imei"].get<std::string>(),
                             preview["rejected_before"]["imeis"][0]["reason"].get<std::string>())),
      1);
  EXPECT_EQ(run_.Count("SELECT count(*) FROM jobs"), 1);
  // The text preview says it too.
  ProcessRun text = run_.Imeiflow({"submit", "--service", kService, "--dry-run", again_});
  EXPECT_NE(text.out.find("rejected before          30"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Dry run: no job created."), std::string::npos) << text.out;
  EXPECT_EQ(sim_.Ledger().size(), 30u);
}

TEST_F(RejectedBefore, SkipRejectedLeavesThemOutAndTheLedgerChargesOnlyTheFreshOnes) {
  ProcessRun submit = run_.Imeiflow(
      {"submit", "--service", kService, "--yes", "--skip-rejected", "--wait", "--json", again_});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  EXPECT_NE(submit.err.find("left out (--skip-rejected)"), std::string::npos) << submit.err;
  nlohmann::json job = Json(submit);
  EXPECT_EQ(job["counts"]["accepted"], 10) << job.dump();
  EXPECT_EQ(job["counts"]["skipped_duplicate"], 30) << job.dump();
  EXPECT_EQ(run_.Count("SELECT count(*) FROM items WHERE job_id = 2 AND reason LIKE "
                       "'rejected before: %'"),
            30);
  std::map<std::string, int> charges = sim_.ChargesByImei();
  EXPECT_EQ(charges.size(), 40u);
  for (const std::string& imei : rejected_) EXPECT_EQ(charges[imei], 1) << imei;
}

TEST_F(RejectedBefore, WithoutSkipRejectedTheyAreSentAgainAsBefore) {
  ProcessRun submit =
      run_.Imeiflow({"submit", "--service", kService, "--yes", "--wait", "--json", again_});
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  nlohmann::json job = Json(submit);
  // Sent again: this supplier refuses an IMEI it already holds (not charged,
  // item `duplicate`); one that charges duplicates would bill them twice.
  EXPECT_EQ(job["counts"]["accepted"], 10) << job.dump();
  EXPECT_EQ(job["counts"]["duplicate"], 30) << job.dump();
  EXPECT_EQ(sim_.ChargesByImei().size(), 40u);
}

TEST(SubmitCli, WaitExits4WhenItemsNeedReview) {
  Sim sim({"--fault-reset", "0.2", "--duplicates", "charge", "--seed", "41"});
  ASSERT_FALSE(sim.url().empty());
  SubmitRun run(sim);
  run.env()["IMEIFLOW_UPSTREAM_REFUSES_DUPLICATES"] = "false";
  std::string file = run.ImeiFile("a.txt", 7400000, 200);
  ProcessRun submit =
      run.Imeiflow({"submit", "--service", kService, "--yes", "--wait", "--json", file});
  EXPECT_EQ(submit.exit_code, 4) << submit.err;
  EXPECT_NE(submit.err.find("need review"), std::string::npos) << submit.err;
  nlohmann::json job = Json(submit);
  int resets = sim.Stats()["faults"]["reset"];
  EXPECT_GT(resets, 0);
  EXPECT_EQ(job["counts"]["uncertain"], resets) << job.dump();
  EXPECT_EQ(run.Count("SELECT count(*) FROM items WHERE state = 'uncertain'"), resets);
  // Every charge is an order or an item in review; nothing charged twice.
  std::map<std::string, int> charges = sim.ChargesByImei();
  EXPECT_EQ(charges.size(), 200u);
  for (const auto& [imei, n] : charges) EXPECT_EQ(n, 1) << imei;
  EXPECT_EQ(run.Count("SELECT count(*) FROM items WHERE state IN ('accepted', 'uncertain')"), 200);
}

TEST(SubmitCli, UntilResultsReturnsOnlyWhenEveryOrderHasItsResult) {
  Sim sim({"--process-after-ms", "500", "--complete-after-ms", "2500", "--reject-ratio", "0.2"});
  ASSERT_FALSE(sim.url().empty());
  SubmitRun run(sim);
  std::string file = run.ImeiFile("a.txt", 7500000, 50);
  auto started = std::chrono::steady_clock::now();
  ProcessRun submit = run.Imeiflow(
      {"submit", "--service", kService, "--yes", "--wait", "--until-results", "--json", file});
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  EXPECT_GE(took, std::chrono::milliseconds(2500));
  EXPECT_EQ(run.Count("SELECT count(*) FROM orders WHERE job_id = 1"), 50);
  EXPECT_EQ(run.Count("SELECT count(*) FROM orders WHERE job_id = 1 AND status IN ('completed',"
                      " 'rejected')"),
            50);
  EXPECT_EQ(sim.Ledger().size(), 50u);
  EXPECT_NE(submit.err.find("waiting for the supplier's results"), std::string::npos) << submit.err;
  EXPECT_NE(submit.err.find("Job 1 results: "), std::string::npos) << submit.err;
}

TEST(SubmitCli, WaitSaysWhenItWaitsBehindAnOlderJob) {
  Sim sim(QuickResults("0"));
  ASSERT_FALSE(sim.url().empty());
  SubmitRun run(sim);
  ProcessRun first =
      run.Imeiflow({"submit", "--service", kService, "--yes", run.ImeiFile("a.txt", 7600000, 30)});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ProcessRun second = run.Imeiflow(
      {"submit", "--service", kService, "--yes", "--wait", run.ImeiFile("b.txt", 7700000, 5)});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("Job 2 waits behind 30 item(s) of older jobs"), std::string::npos)
      << second.err;
  EXPECT_EQ(sim.Ledger().size(), 35u);
}

// Runs imeiflow with `args` on a new pty, types `answer` once the prompt
// appears, and returns the exit code and everything the terminal showed.
ProcessRun RunOnTerminal(const SubmitRun& run, std::vector<std::string> args,
                         const std::string& answer) {
  args.insert(args.begin(), ImeiflowBinary());
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    clearenv();
    setenv("PATH", "/usr/bin:/bin", 1);
    for (const auto& [k, v] : run.env()) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  ProcessRun result;
  if (pid < 0) return result;
  bool answered = false;
  auto deadline = std::chrono::steady_clock::now() + kRunLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{master, POLLIN, 0};
    if (poll(&p, 1, 100) > 0) {
      char buf[4096];
      ssize_t n = read(master, buf, sizeof buf);
      if (n <= 0) break;  // the child closed the terminal (EIO): it has ended
      result.out.append(buf, static_cast<size_t>(n));
    }
    if (!answered && result.out.find("[y/N]") != std::string::npos) {
      std::string line = answer + "\n";
      EXPECT_EQ(write(master, line.data(), line.size()), static_cast<ssize_t>(line.size()));
      answered = true;
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  close(master);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(SubmitCli, OnATerminalItAsksAndOrdersOnlyOnYes) {
  Sim sim(QuickResults("0"));
  ASSERT_FALSE(sim.url().empty());
  SubmitRun run(sim);
  std::string file = run.ImeiFile("a.txt", 7800000, 12);
  ProcessRun no = RunOnTerminal(run, {"submit", "--service", kService, file}, "n");
  EXPECT_EQ(no.exit_code, 0) << no.out;
  EXPECT_NE(no.out.find("Order 12 IMEIs for $0.96? [y/N]"), std::string::npos) << no.out;
  EXPECT_NE(no.out.find("no job created"), std::string::npos) << no.out;
  EXPECT_EQ(run.Count("SELECT count(*) FROM jobs"), 0);
  ProcessRun yes = RunOnTerminal(run, {"submit", "--service", kService, file}, "y");
  EXPECT_EQ(yes.exit_code, 0) << yes.out;
  EXPECT_NE(yes.out.find("Job 1: 12 IMEIs queued"), std::string::npos) << yes.out;
  EXPECT_EQ(run.Count("SELECT count(*) FROM jobs"), 1);
  EXPECT_EQ(run.Count("SELECT count(*) FROM items WHERE state = 'queued'"), 12);
  EXPECT_TRUE(sim.Ledger().empty());  // created, not yet dispatched
}

}  // namespace
}  // namespace imeiflow::integration
