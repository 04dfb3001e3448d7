#include "store/job_json.h"

#include <gtest/gtest.h>

namespace imeiflow::store {
namespace {

JobSummary Job(std::map<ItemState, int64_t> counts) {
  JobSummary job;
  job.id = 4;
  job.spec.service_id = "1739";
  for (ItemState s : kAllItemStates) job.counts[s] = 0;
  for (const auto& [state, n] : counts) {
    job.counts[state] = n;
    job.total += n;
  }
  return job;
}

TEST(JobJsonTest, CountsEveryStateZeroIncluded) {
  nlohmann::json json = JobJson(Job({{ItemState::kAccepted, 3}}), 1.5);
  EXPECT_EQ(json["job"], 4);
  EXPECT_EQ(json["total"], 3);
  EXPECT_EQ(json["elapsed_s"], 1.5);
  EXPECT_EQ(json["counts"].size(), kAllItemStates.size());
  EXPECT_EQ(json["counts"]["accepted"], 3);
  EXPECT_EQ(json["counts"]["skipped_duplicate"], 0);
}

TEST(JobJsonTest, StateSaysWhereTheJobStands) {
  EXPECT_EQ(JobStateName(Job({{ItemState::kQueued, 1}, {ItemState::kAccepted, 1}})), "running");
  EXPECT_EQ(JobStateName(Job({{ItemState::kInFlight, 1}})), "running");
  EXPECT_EQ(JobStateName(Job({{ItemState::kUncertain, 1}, {ItemState::kAccepted, 1}})), "review");
  EXPECT_EQ(JobStateName(Job({{ItemState::kAccepted, 1}, {ItemState::kRejected, 1}})), "done");
  JobSummary cancelled = Job({{ItemState::kCancelled, 2}});
  cancelled.cancelled_at = 5;
  EXPECT_EQ(JobStateName(cancelled), "cancelled");
}

}  // namespace
}  // namespace imeiflow::store
