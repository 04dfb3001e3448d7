#include "store/job_submission.h"

#include <gtest/gtest.h>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class JobSubmissionTest : public TestDatabase {
 protected:
  CachedService Service() {
    CachedService service;
    service.id = "1739";
    service.title = "Carrier check";
    service.price = Money::FromCents(8);
    return service;
  }
};

TEST_F(JobSubmissionTest, CreatesTheJobCountsTheCostAndAuditsWhoAsked) {
  Result<CheckReport> report =
      ParseImeiInput("352099001761481\nhello\n490154203237518\n352099001761481\n");
  ASSERT_TRUE(report.ok());
  SubmissionOptions how;
  how.source = "api";
  how.created_by = "ann";
  Result<Submission> submitted = SubmitJob(*db_, Service(), *report, how, 1000);
  ASSERT_TRUE(submitted.ok()) << submitted.status().message();
  EXPECT_EQ(submitted->job.counts.at(ItemState::kQueued), 2);
  EXPECT_EQ(submitted->job.counts.at(ItemState::kInvalid), 1);
  EXPECT_EQ(submitted->estimated_cost, Money::FromCents(16));
  EXPECT_EQ(submitted->job.spec.created_by, "ann");
  EXPECT_EQ(Query("SELECT line FROM items WHERE state = 'invalid'"), "2");
  EXPECT_EQ(Query("SELECT actor || ' ' || action FROM audit"), "ann job.submit");
  EXPECT_NE(Query("SELECT detail FROM audit").find("2 IMEIs queued, 1 invalid"), std::string::npos);
}

TEST_F(JobSubmissionTest, AlreadyOrderedImeisAreNotCharged) {
  Result<CheckReport> report = ParseImeiInput("352099001761481\n490154203237518\n");
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(SubmitJob(*db_, Service(), *report, {}, 1000).ok());
  Result<Submission> again = SubmitJob(*db_, Service(), *report, {}, 2000);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->job.counts.at(ItemState::kSkippedDuplicate), 2);
  EXPECT_EQ(again->estimated_cost, Money());
  SubmissionOptions recheck;
  recheck.recheck = true;
  Result<Submission> rechecked = SubmitJob(*db_, Service(), *report, recheck, 3000);
  ASSERT_TRUE(rechecked.ok());
  EXPECT_EQ(rechecked->estimated_cost, Money::FromCents(16));
}

}  // namespace
}  // namespace imeiflow::store
