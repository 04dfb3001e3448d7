// Money as the supplier counts it, end to end: the built `imeiflow` (submit,
// work, sync) against imeiflow-sim rejecting a fifth of its orders (refunded).
// The judge is the simulator's own count (/sim/stats charged_cents and
// refunded_cents): `job ID --json` money and the spending of the day equal
// charged minus refunded to the cent.
#include "core/money.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.h"
#include "process_util.h"
#include "sim/imei_check.h"
#include "store/database.h"
#include "store/dispatch_repository.h"

namespace imeiflow::integration {
namespace {

int64_t CentsOf(const nlohmann::json& decimal) {
  Result<Money> money = Money::Parse(decimal.is_string() ? decimal.get<std::string>() : "");
  EXPECT_TRUE(money.ok()) << decimal;
  return money.ok() ? money->cents() : -1;
}

TEST(MoneyTest, JobMoneyAndTodaysSpendingEqualTheSuppliersChargedMinusRefunded) {
  Sim sim({"--process-after-ms", "200", "--complete-after-ms", "500", "--reject-ratio", "0.2"});
  ASSERT_FALSE(sim.url().empty());
  TempDir dir;
  std::map<std::string, std::string> env = SupplierEnv(sim.url());
  env["IMEIFLOW_DB"] = dir.File("t.db");
  env["IMEIFLOW_LOG_LEVEL"] = "warn";
  env["IMEIFLOW_SYNC_FIRST_POLL_S"] = "1";
  env["IMEIFLOW_SYNC_MAX_POLL_INTERVAL_S"] = "1";
  constexpr int kImeis = 100;
  {
    std::ofstream imeis(dir.File("imeis.txt"));
    for (int i = 0; i < kImeis; ++i) imeis << sim::NthImei(9300000 + i) << "\n";
  }
  ProcessRun submit = RunImeiflow({"submit", "--yes", "--service", "1739", dir.File("imeis.txt")}, env);
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  ProcessRun work = RunImeiflow({"work", "--until-idle"}, env);
  ASSERT_EQ(work.exit_code, 0) << work.err;
  ProcessRun sync = RunImeiflow({"sync", "--until-done"}, env);
  ASSERT_EQ(sync.exit_code, 0) << sync.err;

  ProcessRun job = RunImeiflow({"job", "1", "--json"}, env);
  ASSERT_EQ(job.exit_code, 0) << job.err;
  nlohmann::json json = nlohmann::json::parse(job.out, nullptr, false);
  ASSERT_TRUE(json.is_object()) << job.out;
  nlohmann::json stats = sim.Stats();
  ASSERT_TRUE(stats.is_object());
  const int64_t charged = stats["charged_cents"].get<int64_t>();
  const int64_t refunded = stats["refunded_cents"].get<int64_t>();
  EXPECT_EQ(charged, kImeis * 8);
  EXPECT_GT(refunded, 0);  // 20% rejected: some, surely, of 100

  EXPECT_EQ(json["state"], "done");
  EXPECT_EQ(CentsOf(json["money"]["estimated"]), kImeis * 8);
  EXPECT_EQ(CentsOf(json["money"]["charged"]), charged);
  EXPECT_EQ(CentsOf(json["money"]["refunded"]), refunded);
  EXPECT_EQ(CentsOf(json["money"]["spent"]), charged - refunded);
  EXPECT_EQ(json["results"]["rejected"].get<int64_t>() * 8, refunded);
  EXPECT_EQ(
      json["results"]["completed"].get<int64_t>() + json["results"]["rejected"].get<int64_t>(),
      kImeis);

  Result<std::unique_ptr<store::Database>> db = store::Database::Open(dir.File("t.db"));
  ASSERT_TRUE(db.ok()) << db.status().message();
  Result<Money> spent = store::DispatchRepository(**db).SpentToday(SystemClock().NowMs());
  ASSERT_TRUE(spent.ok());
  EXPECT_EQ(spent->cents(), charged - refunded);
}

}  // namespace
}  // namespace imeiflow::integration
