#include "store/dashboard_figures.h"

#include <gtest/gtest.h>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kToday = 1'795'910'400'000;  // 2026-11-29 00:00 UTC
constexpr int64_t kNow = kToday + 10 * 3'600'000;

NewItem Item(int line, const std::string& imei) {
  NewItem item;
  item.line = line;
  item.input = imei;
  item.imei = imei;
  return item;
}

// A job of four IMEIs created at `at`; returns its id.
int64_t AddJob(Database& db, int64_t at) {
  NewJob job;
  job.service_id = "1739";
  job.price = Money::FromCents(8);
  Result<int64_t> id =
      JobRepository(db).Create(job,
                               {Item(1, "352099001761481"), Item(2, "490154203237518"),
                                Item(3, "356938035643809"), Item(4, "353918050423364")},
                               at);
  EXPECT_TRUE(id.ok()) << id.status().message();
  return id.ok() ? *id : 0;
}

void Exec(Database& db, const std::string& sql) {
  Status s = db.Exec(sql);
  ASSERT_TRUE(s.ok()) << s.message() << ": " << sql;
}

void SeedDay(Database& db) {
  int64_t job = AddJob(db, kToday + 1000);
  std::string today = std::to_string(kToday + 2000);
  std::string id = std::to_string(job);
  // Line 1 accepted, 2 rejected, 3 duplicate; line 4 stays queued.
  Exec(db, "UPDATE items SET state = 'accepted', updated_at = " + today + " WHERE line = 1");
  Exec(db, "UPDATE items SET state = 'rejected', updated_at = " + today + " WHERE line = 2");
  Exec(db, "UPDATE items SET state = 'duplicate', updated_at = " + today + " WHERE line = 3");
  Exec(db,
       "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, job_id, placed_at,"
       " updated_at) VALUES"
       " ('u1', '352099001761481', '1739', 'completed', 8, " +
           id + ", " + today + ", " + today +
           "),"
           " ('u2', '111111111111111', '1739', 'rejected', 8, " +
           id + ", " + today + ", " + today +
           "),"
           " ('u3', '222222222222222', '1739', 'pending', 8, " +
           id + ", " + today + ", " + today +
           "),"
           " ('u0', '333333333333333', '1739', 'completed', 8, NULL, " +
           std::to_string(kToday - kDay) + ", 0)");
  Exec(db, "INSERT INTO spending(day, cents) VALUES ('2026-11-29', 2400), ('2026-11-28', 999)");
  Exec(db,
       "INSERT INTO calls(service_id, created_at, finished_at, outcome, http_status) VALUES"
       " ('1739', 1, 2, 'applied', 200), ('1739', 3, 4, 'not_applied', 503),"
       " ('1739', 5, 6, 'applied', 200), ('1739', " +
           today + ", " + today + ", 'unknown', 0)");
}

class DashboardFiguresTest : public TestDatabase {};

TEST_F(DashboardFiguresTest, CountsTodayOnly) {
  SeedDay(*db_);
  Result<DashboardFigures> figures = LoadDashboardFigures(*db_, kNow);
  ASSERT_TRUE(figures.ok()) << figures.status().message();
  EXPECT_EQ(figures->ordered, 3);
  EXPECT_EQ(figures->completed, 1);
  EXPECT_EQ(figures->rejected, 2);  // one refused IMEI, one rejected result
  EXPECT_EQ(figures->duplicates, 1);
  EXPECT_EQ(figures->spent.cents(), 2400);
  ASSERT_EQ(figures->running.size(), 1u);
  EXPECT_EQ(figures->running[0].Active(), 1);
  ASSERT_TRUE(figures->last_call.has_value());
  EXPECT_EQ(figures->last_call->outcome, "unknown");
  EXPECT_EQ(figures->recent_calls, 4);
  EXPECT_EQ(figures->recent_errors, 2);

  // The next day starts from zero.
  Result<DashboardFigures> tomorrow = LoadDashboardFigures(*db_, kNow + kDay);
  ASSERT_TRUE(tomorrow.ok());
  EXPECT_EQ(tomorrow->ordered, 0);
  EXPECT_EQ(tomorrow->rejected, 0);
  EXPECT_EQ(tomorrow->spent.cents(), 0);
}

TEST_F(DashboardFiguresTest, AnEmptyDatabaseHasNoCallsAndNoJobs) {
  Result<DashboardFigures> figures = LoadDashboardFigures(*db_, kNow);
  ASSERT_TRUE(figures.ok());
  EXPECT_FALSE(figures->last_call.has_value());
  EXPECT_TRUE(figures->running.empty());
  EXPECT_EQ(figures->recent_calls, 0);
}

}  // namespace
}  // namespace imeiflow::store
