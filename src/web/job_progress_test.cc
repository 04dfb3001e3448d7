#include "web/job_progress.h"

#include <gtest/gtest.h>

namespace imeiflow::web {
namespace {

store::JobSummary Job(std::map<ItemState, int64_t> counts, int64_t created_at = 0) {
  store::JobSummary job;
  job.id = 7;
  job.created_at = created_at;
  for (ItemState s : kAllItemStates) job.counts[s] = 0;
  for (const auto& [state, n] : counts) {
    job.counts[state] = n;
    job.total += n;
  }
  return job;
}

TEST(JobProgressTest, OnlyQueuedInFlightAndUncertainAreUnfinished) {
  int unfinished = 0;
  for (ItemState s : kAllItemStates) unfinished += IsFinishedState(s) ? 0 : 1;
  EXPECT_EQ(unfinished, 3);
  EXPECT_FALSE(IsFinishedState(ItemState::kUncertain));
  EXPECT_TRUE(IsFinishedState(ItemState::kAcceptedUnconfirmed));
  EXPECT_TRUE(IsFinishedState(ItemState::kSkippedDuplicate));
}

TEST(JobProgressTest, HundredPercentOnlyWhenNothingIsOpen) {
  // 999 of 1000 finished rounds to 99, never 100.
  JobProgress almost =
      ProgressOf(Job({{ItemState::kAccepted, 999}, {ItemState::kUncertain, 1}}), 1000);
  EXPECT_EQ(almost.percent, 99);
  EXPECT_EQ(almost.state, "review");
  EXPECT_FALSE(almost.moving);
  JobProgress done = ProgressOf(Job({{ItemState::kAccepted, 3}, {ItemState::kInvalid, 1}}), 1000);
  EXPECT_EQ(done.percent, 100);
  EXPECT_EQ(done.finished, 4);
  EXPECT_EQ(done.state, "done");
  EXPECT_EQ(ProgressOf(Job({}), 0).percent, 100);
}

TEST(JobProgressTest, RateCountsDispatchedItemsAndEtaTheRest) {
  // 20 s in: 40 accepted (2/s), 5 invalid (not dispatch work), 60 still queued.
  store::JobSummary job =
      Job({{ItemState::kAccepted, 40}, {ItemState::kInvalid, 5}, {ItemState::kQueued, 60}});
  JobProgress p = ProgressOf(job, 20'000);
  EXPECT_DOUBLE_EQ(p.rate_per_s, 2.0);
  ASSERT_TRUE(p.eta_s.has_value());
  EXPECT_EQ(*p.eta_s, 30);
  EXPECT_EQ(p.percent, 42);  // 45 of 105
  EXPECT_EQ(RateText(p), "2.0/s");
  EXPECT_EQ(EtaText(p), "30 s");
  nlohmann::json json = ProgressJson(job, p);
  EXPECT_EQ(json["counts"]["queued"], 60);
  EXPECT_EQ(json["percent"], 42);
  EXPECT_EQ(json["final"], false);
}

TEST(JobProgressTest, NoEtaBeforeTheFirstFinishedItem) {
  JobProgress p = ProgressOf(Job({{ItemState::kQueued, 10}}), 5000);
  EXPECT_FALSE(p.eta_s.has_value());
  EXPECT_EQ(EtaText(p), "-");
  EXPECT_EQ(RateText(p), "-");
  EXPECT_TRUE(ProgressJson(Job({{ItemState::kQueued, 10}}), p)["eta_s"].is_null());
}

TEST(JobProgressTest, EtaTextInHoursAndMinutes) {
  JobProgress p;
  p.eta_s = 3 * 3600 + 5 * 60 + 9;
  EXPECT_EQ(EtaText(p), "3 h 5 min");
  p.eta_s = 125;
  EXPECT_EQ(EtaText(p), "2 min 5 s");
}

}  // namespace
}  // namespace imeiflow::web
