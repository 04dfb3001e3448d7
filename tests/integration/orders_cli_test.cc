// The built `imeiflow orders` and `imeiflow export` on a real database
// (issue 12): an aligned table with headers and the result columns, the
// statuses in the shop's words, a pasted list in its order with "no order"
// rows, and the result filters with their allowed values.
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/imei.h"
#include "process_util.h"
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

}  // namespace
}  // namespace imeiflow::integration
