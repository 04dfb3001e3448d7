// The built `imeiflow orders` and `imeiflow export` on a real database
// (issue 12): an aligned table with headers and the result columns, the
// statuses in the shop's words, a pasted list in its order with "no order"
// rows, and the result filters with their allowed values; the filters on
// orders placed through the real dispatcher and synced from imeiflow-sim.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/imei.h"
#include "process_util.h"
#include "sim/imei_check.h"
#include "store/database.h"
#include "store/order_repository.h"

namespace imeiflow::integration {
namespace {

std::string Imei(int64_t n) {
  std::string body = std::to_string(35200000000000 + n);
  return body + CheckDigit(body);
}

// The lines of `text`.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

class OrdersCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = dir_.File("shop.db");
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(db_path_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec("INSERT INTO services(id, title, price_cents, fetched_at)"
                            " VALUES ('1739', 'iPhone Check', 8, 0)")
                    .ok());
    AddOrder(**db, 1, "completed", "Model: iPhone 13 - Find My iPhone: ON - SimLock: Locked");
    AddOrder(**db, 2, "completed", "Model: iPhone 12 - FMI: OFF - SimLock: Unlocked");
    AddOrder(**db, 3, "rejected", "Invalid IMEI");
    AddOrder(**db, 4, "in_process", "");
  }

  void AddOrder(store::Database& db, int64_t n, const std::string& status,
                const std::string& code) {
    Result<store::Statement> insert = db.Prepare(
        "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, placed_at,"
        " updated_at) VALUES (?1, ?2, '1739', 'pending', 8, ?3, ?3)");
    ASSERT_TRUE(insert.ok());
    insert->Bind(1, "u" + std::to_string(n)).Bind(2, Imei(n)).Bind(3, 1796020200000 + n * 1000);
    ASSERT_TRUE(insert->Run().ok());
    std::optional<store::OrderStatus> stored = store::ParseOrderStatus(status);
    ASSERT_TRUE(stored.has_value()) << status;
    ASSERT_TRUE(store::OrderRepository(db).SetResult(db.LastInsertId(), *stored, code, 0).ok());
  }

  ProcessRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_path_});
    return RunImeiflow(std::move(args), {{"IMEIFLOW_LOG_LEVEL", "warn"}});
  }

  TempDir dir_;
  std::string db_path_;
};

TEST_F(OrdersCliTest, PrintsAnAlignedTableWithHeadersAndResults) {
  ProcessRun run = Run({"orders"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 6u) << run.out;  // headings, 4 orders, the total
  const std::string& head = lines[0];
  for (const char* heading :
       {"IMEI", "STATUS", "SERVICE", "CREATED (UTC)", "PRICE", "MODEL", "SIM-LOCK", "FMI",
        "REASON"}) {
    EXPECT_NE(head.find(heading), std::string::npos) << heading << "\n" << run.out;
  }
  EXPECT_EQ(head.find("SERIAL"), std::string::npos) << "no order has one";
  // Every row starts its STATUS column where the heading does.
  size_t status_at = head.find("STATUS");
  EXPECT_EQ(lines[1].substr(0, 15), Imei(4));  // newest first
  EXPECT_EQ(lines[1].substr(status_at, 10), "in process");
  EXPECT_EQ(lines[2].substr(status_at, 8), "rejected");
  EXPECT_NE(lines[2].find("Invalid IMEI"), std::string::npos);
  EXPECT_EQ(lines[3].substr(status_at, 9), "completed");
  EXPECT_EQ(lines[5], "4 orders match");
}

TEST_F(OrdersCliTest, APastedListKeepsItsOrderWithNoOrderRows) {
  ProcessRun run = Run({"orders", "--imei", Imei(2) + "," + Imei(9) + "," + Imei(1)});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 5u) << run.out;
  EXPECT_EQ(lines[1].substr(0, 15), Imei(2));
  EXPECT_EQ(lines[2], Imei(9) + "  no order");
  EXPECT_EQ(lines[3].substr(0, 15), Imei(1));
  EXPECT_EQ(lines[4], "2 orders match");

  ProcessRun csv = Run({"export", "--imei", Imei(2) + "," + Imei(9) + "," + Imei(1)});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  std::vector<std::string> rows = Lines(csv.out);
  ASSERT_EQ(rows.size(), 4u) << csv.out;
  EXPECT_NE(rows[1].find(Imei(2)), std::string::npos);
  EXPECT_EQ(rows[2].substr(0, 27), "," + Imei(9) + ",,no order,");
  EXPECT_NE(rows[3].find(Imei(1)), std::string::npos);
}

TEST_F(OrdersCliTest, BadResultFilterValuesNameTheAllowedOnes) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{"orders", "--fmi", "maybe"}, "--fmi: \"maybe\" is not one of: on, off"},
           {{"orders", "--simlock", "yes"}, "--simlock: \"yes\" is not one of: locked, unlocked"},
           {{"export", "--blacklisted", "clean"}, "--blacklisted: \"clean\" is not one of: yes, no"},
       }) {
    ProcessRun run = Run(c.args);
    EXPECT_EQ(run.exit_code, 2) << c.args[1] << run.err;
    EXPECT_NE(run.err.find(c.message), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "");
  }
}

// The IMEIs of `orders --json` output.
std::set<std::string> ImeisOf(const ProcessRun& run) {
  std::set<std::string> imeis;
  nlohmann::json out = nlohmann::json::parse(run.out, nullptr, false);
  EXPECT_TRUE(out.is_object()) << run.out << run.err;
  if (!out.is_object()) return imeis;
  for (const auto& o : out["orders"]) imeis.insert(o["imei"].get<std::string>());
  return imeis;
}

TEST(OrdersCliAgainstSim, ResultFiltersSelectExactlyTheOrdersWithThatResult) {
  Sim sim({"--process-after-ms", "200", "--complete-after-ms", "500", "--reject-ratio", "0.2",
           "--seed", "21"});
  ASSERT_FALSE(sim.url().empty());
  TempDir dir;
  std::map<std::string, std::string> env = SupplierEnv(sim.url());
  env["IMEIFLOW_DB"] = dir.File("shop.db");
  env["IMEIFLOW_LOG_LEVEL"] = "warn";
  env["IMEIFLOW_SYNC_FIRST_POLL_S"] = "1";
  env["IMEIFLOW_SYNC_MAX_POLL_INTERVAL_S"] = "1";
  {
    std::ofstream out(dir.File("imeis.txt"));
    for (int i = 0; i < 120; ++i) out << sim::NthImei(9100000 + i) << "\n";
  }
  ProcessRun submit = RunImeiflow({"submit", "--service", "1739", "--yes", dir.File("imeis.txt")}, env);
  ASSERT_EQ(submit.exit_code, 0) << submit.err;
  ProcessRun work = RunImeiflow({"work", "--until-idle"}, env);
  ASSERT_EQ(work.exit_code, 0) << work.err;
  ProcessRun sync = RunImeiflow({"sync", "--until-done"}, env);
  ASSERT_EQ(sync.exit_code, 0) << sync.err;

  ProcessRun all = RunImeiflow({"orders", "--json", "--limit", "1000"}, env);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  nlohmann::json orders = nlohmann::json::parse(all.out)["orders"];
  ASSERT_EQ(orders.size(), 120u);
  // What each filter must select, read from the stored fields of each order.
  std::map<std::string, std::set<std::string>> expected;
  for (const auto& o : orders) {
    const std::string imei = o["imei"];
    const nlohmann::json& f = o["fields"];
    if (o["status"] == "completed") expected["--status completed"].insert(imei);
    if (o["status"] == "rejected") expected["--status rejected"].insert(imei);
    if (f["fmi"] == "ON") expected["--fmi on"].insert(imei);
    if (f["fmi"] == "OFF") expected["--fmi off"].insert(imei);
    if (f["simlock"] == "Locked") expected["--simlock locked"].insert(imei);
    if (f["simlock"] == "Unlocked") expected["--simlock unlocked"].insert(imei);
  }
  ASSERT_FALSE(expected["--status rejected"].empty());
  ASSERT_FALSE(expected["--fmi on"].empty());
  ASSERT_FALSE(expected["--fmi off"].empty());
  ASSERT_FALSE(expected["--simlock locked"].empty());
  for (const auto& [filter, imeis] : expected) {
    const size_t space = filter.find(' ');
    ProcessRun run = RunImeiflow(
        {"orders", "--json", "--limit", "1000", filter.substr(0, space), filter.substr(space + 1)},
        env);
    ASSERT_EQ(run.exit_code, 0) << filter << run.err;
    EXPECT_EQ(ImeisOf(run), imeis) << filter;
  }
  // Filters combine: FMI on and SIM-locked is the intersection.
  std::set<std::string> both;
  for (const std::string& imei : expected["--fmi on"]) {
    if (expected["--simlock locked"].count(imei)) both.insert(imei);
  }
  ProcessRun combined = RunImeiflow(
      {"orders", "--json", "--limit", "1000", "--fmi", "on", "--simlock", "locked"}, env);
  EXPECT_EQ(ImeisOf(combined), both);
  // The table says how many match.
  ProcessRun table = RunImeiflow({"orders", "--fmi", "on", "--limit", "1000"}, env);
  EXPECT_NE(table.out.find(std::to_string(expected["--fmi on"].size()) + " orders match"),
            std::string::npos)
      << table.out;
}

}  // namespace
}  // namespace imeiflow::integration
