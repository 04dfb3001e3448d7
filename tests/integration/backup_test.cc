// `imeiflow backup` and `imeiflow restore` end to end: a backup taken while a
// real `serve` dispatches against imeiflow-sim, restore refused while that
// serve runs and done once it stopped; a database from a newer imeiflow
// refused by every command.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "process_util.h"
#include "sim/imei_check.h"
#include "store/backup.h"
#include "store/database.h"
#include "store/migrations.h"

namespace imeiflow::integration {
namespace {

constexpr const char* kService = "1739";  // $0.08 in the simulator's catalogue

// A database in its own folder with a job of `count` IMEIs for `sim`.
class BackupRun {
 public:
  BackupRun(const Sim& sim, int count) : env_(SupplierEnv(sim.url())) {
    env_["IMEIFLOW_DB"] = Db();
    std::ofstream imeis(dir_.File("imeis.txt"));
    for (int i = 0; i < count; ++i) imeis << sim::NthImei(7000 + i) << "\n";
  }
  std::string Db() const { return dir_.File("t.db"); }
  std::string File(const std::string& name) const { return dir_.File(name); }
  ProcessRun Run(std::vector<std::string> args) const { return RunImeiflow(std::move(args), env_); }
  ProcessRun Submit() const {
    return Run({"submit", "--service", kService, "--yes", dir_.File("imeis.txt")});
  }
  std::unique_ptr<ChildProcess> Start(std::vector<std::string> args, const std::string& name) {
    args.insert(args.begin(), ImeiflowBinary());
    return std::make_unique<ChildProcess>(std::move(args), env_, dir_.File(name + ".out"),
                                          dir_.File(name + ".err"));
  }
  std::string Err(const std::string& name) const { return ReadAll(dir_.File(name + ".err")); }

 private:
  TempDir dir_;
  std::map<std::string, std::string> env_;
};

// The orders (order id, IMEI) in the database at `path`.
std::map<std::string, std::string> Orders(const std::string& path) {
  std::map<std::string, std::string> orders;
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
  if (!db.ok()) {
    ADD_FAILURE() << db.status().message();
    return orders;
  }
  Result<store::Statement> st = (*db)->Prepare("SELECT id, imei FROM orders");
  if (!st.ok()) return orders;
  for (Result<bool> more = st->Step(); more.ok() && *more; more = st->Step()) {
    orders[st->ColumnText(0)] = st->ColumnText(1);
  }
  return orders;
}

TEST(BackupCliTest, BacksUpWhileServeRunsAndRestoresOnlyOnceItStopped) {
  Sim sim({"--latency-ms", "100"});
  BackupRun run(sim, 200);
  ASSERT_EQ(run.Submit().exit_code, 0);
  std::unique_ptr<ChildProcess> serve = run.Start({"serve", "--listen", "127.0.0.1:0"}, "serve");
  ASSERT_TRUE(WaitForPlaceOrders(sim, 1, std::chrono::seconds(20))) << run.Err("serve");

  std::string file = run.File("shop.backup");
  ProcessRun backup = run.Run({"backup", file});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_NE(backup.out.find("integrity check passed"), std::string::npos) << backup.out;
  Status checked = store::CheckBackupFile(file);
  EXPECT_TRUE(checked.ok()) << checked.message();

  ProcessRun refused = run.Run({"restore", file, "--yes"});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("in use"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(run.Db() + ".before-restore"));

  serve->Signal(SIGTERM);
  ASSERT_EQ(serve->WaitFor(std::chrono::seconds(30)), 0) << run.Err("serve");
  std::map<std::string, std::string> before = Orders(run.Db());

  ProcessRun no_terminal = run.Run({"restore", file});
  EXPECT_EQ(no_terminal.exit_code, 2) << no_terminal.err;
  EXPECT_NE(no_terminal.err.find("--yes"), std::string::npos) << no_terminal.err;

  ProcessRun restored = run.Run({"restore", file, "--yes"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(Orders(run.Db() + ".before-restore"), before);
  EXPECT_EQ(Orders(run.Db()), Orders(file));
}

TEST(BackupCliTest, MissingDirectoryIsNamed) {
  Sim sim;
  BackupRun run(sim, 1);
  ASSERT_EQ(run.Submit().exit_code, 0);
  ProcessRun backup = run.Run({"backup", run.File("missing/shop.backup")});
  EXPECT_EQ(backup.exit_code, 1);
  EXPECT_NE(backup.err.find("does not exist"), std::string::npos) << backup.err;
}

TEST(BackupCliTest, NewerDatabaseIsRefusedByEveryCommand) {
  Sim sim;
  BackupRun run(sim, 1);
  int newest = store::AllMigrations().back().version;
  {
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(run.Db());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version = " + std::to_string(newest + 1)).ok());
  }
  std::string expected = "this database was written by a newer imeiflow (schema " +
                         std::to_string(newest + 1) + ", this binary knows up to " +
                         std::to_string(newest) + "): upgrade imeiflow";
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{"jobs"}, {"orders"}, {"work", "--until-idle"},
                                             {"backup", run.File("b.db")}}) {
    ProcessRun r = run.Run(args);
    EXPECT_EQ(r.exit_code, 1) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << args[0] << ": " << r.err;
  }
}

}  // namespace
}  // namespace imeiflow::integration
