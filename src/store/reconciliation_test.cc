#include "store/reconciliation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

constexpr int64_t kPlaced = 1796020200000;  // 2026-11-30 06:30:00 UTC
constexpr int64_t kDay = 86'400'000;

std::string Imei(int n) { return "35209900176148" + std::to_string(n); }

ImportRow Row(int n, int64_t placed_at = kPlaced, std::string service = "iPhone Check",
              int line = 2) {
  ImportRow row;
  row.line = line;
  row.service = std::move(service);
  row.imei = Imei(n);
  row.price = Money::FromCents(8);
  row.status = "completed";
  row.placed_at = placed_at;
  return row;
}

class ReconciliationTest : public TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    // Orders: 1 and 2 placed by job 1 on the file's day, 3 imported (no
    // job), 4 placed two days later; item 5 awaits review.
    ASSERT_TRUE(
        db_->Exec(
               fmt::format("INSERT INTO services(id, title, price_cents, fetched_at)"
                           " VALUES ('1739', 'iPhone Check', 8, 0);"
                           "INSERT INTO jobs(id, service_id, price_cents, created_at)"
                           " VALUES (1, '1739', 8, 0);"
                           "INSERT INTO orders(id, imei, service_id, status, price_cents, job_id,"
                           " placed_at, updated_at) VALUES"
                           " (1, '{0}', '1739', 'pending', 8, 1, {4}, 1),"
                           " (2, '{1}', '1739', 'completed', 8, 1, {5}, 1),"
                           " (3, '{2}', '1739', 'completed', 8, NULL, {4}, 1),"
                           " (4, '{3}', '1739', 'pending', 8, 1, {6}, 1);"
                           "INSERT INTO items(id, job_id, line, input, imei, state, updated_at)"
                           " VALUES (5, 1, 5, 'x', '{7}', 'uncertain', 1)",
                           Imei(1), Imei(2), Imei(3), Imei(4), kPlaced, kPlaced + 3600000,
                           kPlaced + 2 * kDay, Imei(5)))
            .ok());
  }
};

TEST_F(ReconciliationTest, ClassifiesRowsAndOrders) {
  std::string before = Query("SELECT total_changes()");
  std::vector<ImportError> errors;
  Result<Reconciliation> r =
      Reconcile(*db_,
                {Row(1, kPlaced + 2000), Row(5, kPlaced, "iPhone Check", 3),
                 Row(6, kPlaced, "iPhone Check", 4), Row(5, kPlaced + 9000, "iPhone Check", 5),
                 Row(7, kPlaced, "No Such Service", 6)},
                &errors);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 6);

  ASSERT_EQ(r->known.lines.size(), 1u);
  EXPECT_EQ(r->known.lines[0].order_id, 1);
  EXPECT_EQ(r->known.total, Money::FromCents(8));
  // One of IMEI 5's two charges is the item awaiting review; the other and
  // IMEI 6 are unknown here.
  ASSERT_EQ(r->needs_review.lines.size(), 1u);
  EXPECT_EQ(r->needs_review.lines[0].item_id, 5);
  EXPECT_EQ(r->needs_review.lines[0].line, 3);
  ASSERT_EQ(r->unknown.lines.size(), 2u);
  EXPECT_EQ(r->unknown.lines[0].imei, Imei(6));
  EXPECT_EQ(r->unknown.lines[1].line, 5);
  EXPECT_EQ(r->unknown.total, Money::FromCents(16));
  // Order 2 is missing there; 3 was not placed by imeiflow, 4 is outside
  // the file's days.
  ASSERT_EQ(r->missing.lines.size(), 1u);
  EXPECT_EQ(r->missing.lines[0].order_id, 2);
  EXPECT_EQ(r->missing.lines[0].placed_at, kPlaced + 3600000);
  EXPECT_EQ(r->missing.lines[0].service_id, "1739");
  EXPECT_EQ(r->from_ms, kPlaced - kPlaced % kDay);
  EXPECT_EQ(r->until_ms, r->from_ms + kDay);
  EXPECT_FALSE(r->Agree());
  EXPECT_EQ(Query("SELECT total_changes()"), before);  // it reads only
}

TEST_F(ReconciliationTest, AFileWithEveryOrderAgrees) {
  std::vector<ImportError> errors;
  Result<Reconciliation> r = Reconcile(*db_, {Row(1), Row(2, kPlaced + 3600000), Row(3)}, &errors);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(r->known.lines.size(), 3u);
  EXPECT_EQ(r->known.total, Money::FromCents(24));
  EXPECT_TRUE(r->Agree());

  Result<Reconciliation> empty = Reconcile(*db_, {}, &errors);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->Agree());
  EXPECT_EQ(empty->until_ms, 0);
}

}  // namespace
}  // namespace imeiflow::store
