#include "store/job_money.h"

#include <gtest/gtest.h>

#include "store/job_json.h"
#include "store/settings_repository.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

constexpr int64_t kNow = 1796083200000;  // 2026-12-01 00:00:00 UTC

class JobMoneyTest : public TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    // Job 1 (8 cents): 2 queued, 1 invalid, 1 skipped, 4 accepted with orders
    // pending, in_process, completed and rejected (refunded); 1 order of job 2.
    ASSERT_TRUE(
        db_->Exec("INSERT INTO jobs(id, service_id, price_cents, created_at) VALUES"
                  " (1, '1739', 8, 0), (2, '1739', 8, 0);"
                  "INSERT INTO orders(id, imei, service_id, status, price_cents, job_id, placed_at,"
                  " updated_at, refunded_at) VALUES"
                  " (1, 'a', '1739', 'pending', 8, 1, 0, 0, NULL),"
                  " (2, 'b', '1739', 'in_process', 8, 1, 0, 0, NULL),"
                  " (3, 'c', '1739', 'completed', 8, 1, 0, 0, NULL),"
                  " (4, 'd', '1739', 'rejected', 8, 1, 0, 0, 5),"
                  " (5, 'e', '1739', 'completed', 8, 2, 0, 0, NULL);"
                  "INSERT INTO items(job_id, line, input, imei, state, order_id, updated_at) VALUES"
                  " (1, 1, 'q', 'q', 'queued', NULL, 0), (1, 2, 'r', 'r', 'queued', NULL, 0),"
                  " (1, 3, 'x', 'x', 'invalid', NULL, 0),"
                  " (1, 4, 's', 's', 'skipped_duplicate', NULL, 0),"
                  " (1, 5, 'a', 'a', 'accepted', 1, 0), (1, 6, 'b', 'b', 'accepted', 2, 0),"
                  " (1, 7, 'c', 'c', 'accepted', 3, 0), (1, 8, 'd', 'd', 'accepted', 4, 0),"
                  " (2, 1, 'e', 'e', 'accepted', 5, 0);")
            .ok());
  }
  JobStanding Standing(std::optional<Money> cap, int64_t now = kNow) {
    Result<JobSummary> job = JobRepository(*db_).Get(1);
    EXPECT_TRUE(job.ok());
    Result<JobStanding> standing = ReadJobStanding(*db_, *job, cap, now);
    EXPECT_TRUE(standing.ok()) << standing.status().message();
    return *standing;
  }
  void Spend(int64_t cents, int64_t refunded) {
    ASSERT_TRUE(
        db_->Exec("INSERT INTO spending(day, cents, refunded_cents) VALUES ('2026-12-01', " +
                  std::to_string(cents) + ", " + std::to_string(refunded) + ")")
            .ok());
  }
};

TEST_F(JobMoneyTest, MoneyAndResultsOfTheJobsOrders) {
  JobStanding standing = Standing(std::nullopt);
  EXPECT_EQ(standing.money.estimated.cents(), 48);  // 6 items to order
  EXPECT_EQ(standing.money.charged.cents(), 32);
  EXPECT_EQ(standing.money.refunded.cents(), 8);
  EXPECT_EQ(standing.money.spent().cents(), 24);
  EXPECT_EQ(standing.results.pending, 1);
  EXPECT_EQ(standing.results.in_process, 1);
  EXPECT_EQ(standing.results.completed, 1);
  EXPECT_EQ(standing.results.rejected, 1);
  EXPECT_FALSE(standing.paused());

  Result<JobSummary> job = JobRepository(*db_).Get(1);
  nlohmann::json json = JobJson(*job, 1.0, standing);
  EXPECT_EQ(json["state"], "running");
  EXPECT_FALSE(json.contains("paused_reason"));
  EXPECT_EQ(json["money"], nlohmann::json::parse(R"({"estimated": "0.48", "charged": "0.32",
      "refunded": "0.08", "spent": "0.24"})"));
  EXPECT_EQ(
      json["results"],
      nlohmann::json::parse(R"({"pending": 1, "in_process": 1, "completed": 1, "rejected": 1})"));
  EXPECT_EQ(json["counts"]["queued"], 2);
}

TEST_F(JobMoneyTest, PausedWhenTheCapInForceStopsItsReadyItems) {
  Spend(100, 10);                                         // 90 cents spent today
  EXPECT_FALSE(Standing(Money::FromCents(98)).paused());  // 90 + 8 fits
  JobStanding paused = Standing(Money::FromCents(97));
  EXPECT_EQ(paused.paused_reason,
            "daily cap of $0.97 reached; resumes at 00:00 UTC or when the cap is raised");
  Result<JobSummary> job = JobRepository(*db_).Get(1);
  nlohmann::json json = JobJson(*job, 1.0, paused);
  EXPECT_EQ(json["state"], "paused");
  EXPECT_EQ(json["paused_reason"], paused.paused_reason);

  // A cap set on the settings page overrides the configured one, both ways.
  SettingsRepository settings(*db_);
  ASSERT_TRUE(settings.SetDailyCap(Money::FromCents(5000), Money::FromCents(97), "ana", kNow).ok());
  EXPECT_FALSE(Standing(Money::FromCents(97)).paused());
  ASSERT_TRUE(settings.SetDailyCap(Money::FromCents(50), std::nullopt, "ana", kNow).ok());
  EXPECT_TRUE(Standing(std::nullopt).paused());

  // Items waiting for a retry later are not held back by the cap.
  ASSERT_TRUE(db_->Exec("UPDATE items SET not_before = " + std::to_string(kNow + 1000) +
                        " WHERE state = 'queued'")
                  .ok());
  EXPECT_FALSE(Standing(std::nullopt).paused());
}

TEST(JobStateTest, QueuedUntilSomethingIsSent) {
  JobSummary job;
  for (ItemState s : kAllItemStates) job.counts[s] = 0;
  job.counts[ItemState::kQueued] = 3;
  job.counts[ItemState::kInvalid] = 1;
  job.total = 4;
  EXPECT_EQ(JobStateName(job), "queued");
  EXPECT_EQ(JobStateName(job, /*paused=*/true), "paused");
  job.counts[ItemState::kInFlight] = 1;
  job.total = 5;
  EXPECT_EQ(JobStateName(job), "running");
}

}  // namespace
}  // namespace imeiflow::store
