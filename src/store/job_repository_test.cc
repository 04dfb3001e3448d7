#include "store/job_repository.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class JobRepositoryTest : public TestDatabase {
 protected:
  NewJob Job(bool recheck = false) {
    NewJob job;
    job.service_id = "1739";
    job.price = Money::FromCents(8);
    job.recheck = recheck;
    job.source = "test.txt";
    return job;
  }
  static NewItem Valid(int line, const std::string& imei) { return {line, imei, imei, true, ""}; }
};

TEST_F(JobRepositoryTest, CreatesAJobWithItsItemsAndCounts) {
  JobRepository jobs(*db_);
  std::vector<NewItem> items = {Valid(1, "352099001761481"),
                                Valid(2, "490154203237518"),
                                {3, "12ab", "12ab", false, "contains letters"}};
  Result<int64_t> id = jobs.Create(Job(), items, 1000);
  ASSERT_TRUE(id.ok()) << id.status().message();

  Result<JobSummary> job = jobs.Get(*id);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->total, 3);
  EXPECT_EQ(job->counts.at(ItemState::kQueued), 2);
  EXPECT_EQ(job->counts.at(ItemState::kInvalid), 1);
  EXPECT_EQ(job->counts.at(ItemState::kAccepted), 0);  // every state present
  EXPECT_EQ(job->counts.size(), kAllItemStates.size());
  EXPECT_EQ(job->Active(), 2);
  EXPECT_EQ(job->spec.price, Money::FromCents(8));
  EXPECT_EQ(job->created_at, 1000);

  Result<std::vector<ItemRecord>> stored = jobs.Items(*id, 0, 10);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 3u);
  EXPECT_EQ((*stored)[2].state, ItemState::kInvalid);
  EXPECT_EQ((*stored)[2].reason, "contains letters");
  EXPECT_EQ((*stored)[2].line, 3);
}

TEST_F(JobRepositoryTest, FindListsJobsOfATimeRangeNewestFirstPaged) {
  JobRepository jobs(*db_);
  for (int64_t at : {1000, 2000, 3000, 4000}) {
    ASSERT_TRUE(jobs.Create(Job(), {}, at).ok());
  }
  JobListFilter range;
  range.since_ms = 2000;
  range.until_ms = 4000;
  Result<std::vector<JobSummary>> found = jobs.Find(range);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].id, 3);
  EXPECT_EQ((*found)[1].id, 2);
  EXPECT_EQ(*jobs.CountFound(range), 2);
  JobListFilter page;
  page.offset = 1;
  page.limit = 2;
  Result<std::vector<JobSummary>> second = jobs.Find(page);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 2u);
  EXPECT_EQ((*second)[0].id, 3);
  EXPECT_EQ(*jobs.CountFound(page), 4);
}

TEST_F(JobRepositoryTest, GuardSkipsIMEIsAlreadyOrderedOrQueuedUnlessRecheck) {
  JobRepository jobs(*db_);
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(id, upstream_id, imei, service_id, status,"
                        " price_cents, placed_at, updated_at) VALUES"
                        " (7, 'u7', '352099001761481', '1739', 'completed', 8, 0, 0),"
                        " (8, 'u8', '356938035643809', '1739', 'rejected', 8, 0, 0),"
                        " (9, 'u9', '490154203237518', '9999', 'completed', 8, 0, 0)")
                  .ok());
  Result<int64_t> first = jobs.Create(Job(), {Valid(1, "353918050423364")}, 0);
  ASSERT_TRUE(first.ok());

  Result<int64_t> second = jobs.Create(Job(),
                                       {Valid(1, "352099001761481"),   // ordered: skip
                                        Valid(2, "356938035643809"),   // only rejected: order
                                        Valid(3, "490154203237518"),   // other service: order
                                        Valid(4, "353918050423364")},  // queued in job 1: skip
                                       0);
  ASSERT_TRUE(second.ok());
  Result<std::vector<ItemRecord>> items = jobs.Items(*second, 0, 10);
  ASSERT_TRUE(items.ok());
  EXPECT_EQ((*items)[0].state, ItemState::kSkippedDuplicate);
  EXPECT_EQ((*items)[0].order_id, 7);
  EXPECT_EQ((*items)[0].reason, "already ordered (order 7)");
  EXPECT_EQ((*items)[1].state, ItemState::kQueued);
  EXPECT_EQ((*items)[2].state, ItemState::kQueued);
  EXPECT_EQ((*items)[3].state, ItemState::kSkippedDuplicate);
  EXPECT_EQ((*items)[3].reason, fmt::format("already queued in job {}", *first));

  Result<int64_t> recheck = jobs.Create(Job(true), {Valid(1, "352099001761481")}, 0);
  ASSERT_TRUE(recheck.ok());
  EXPECT_EQ(jobs.Items(*recheck, 0, 1)->front().state, ItemState::kQueued);
}

TEST_F(JobRepositoryTest, CancelEndsOnlyItemsNoCallMayHaveAppliedAndCountsTheKeptOnes) {
  JobRepository jobs(*db_);
  std::vector<NewItem> items;
  for (int line = 1; line <= 7; ++line) {
    std::string imei = fmt::format("35209900176{:04}", line);
    items.push_back(Valid(line, imei));
  }
  Result<int64_t> id = jobs.Create(Job(), items, 0);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(db_->Exec("UPDATE items SET state = 'in_flight' WHERE line = 1").ok());
  ASSERT_TRUE(db_->Exec("UPDATE items SET after_uncertain = 1 WHERE line IN (2, 3)").ok());
  ASSERT_TRUE(db_->Exec("UPDATE items SET state = 'uncertain' WHERE line = 4").ok());
  ASSERT_TRUE(db_->Exec("UPDATE items SET state = 'accepted' WHERE line = 5").ok());
  Result<CancelResult> cancelled = jobs.Cancel(*id, "tester", 5);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status().message();
  EXPECT_EQ(cancelled->cancelled, 2);  // lines 6 and 7
  EXPECT_EQ(cancelled->kept_resending, 2);
  EXPECT_EQ(cancelled->kept_in_flight, 1);
  EXPECT_EQ(cancelled->in_review, 1);
  EXPECT_EQ(cancelled->Text(),
            "2 queued IMEIs cancelled; 4 could not be cancelled: 2 are being resent to learn "
            "whether an earlier call was charged, 1 is in flight, 1 needs review");
  Result<JobSummary> job = jobs.Get(*id);
  EXPECT_EQ(job->counts.at(ItemState::kQueued), 2);
  EXPECT_EQ(job->counts.at(ItemState::kInFlight), 1);
  EXPECT_EQ(job->counts.at(ItemState::kUncertain), 1);
  EXPECT_EQ(job->counts.at(ItemState::kAccepted), 1);
  EXPECT_EQ(job->counts.at(ItemState::kCancelled), 2);
  EXPECT_EQ(job->cancelled_at, 5);
  EXPECT_EQ(Query("SELECT group_concat(line) FROM items WHERE after_uncertain = 1 AND "
                  "state = 'queued'"),
            "2,3");
  // A second cancel finds nothing more to cancel and keeps the first time.
  EXPECT_EQ(jobs.Cancel(*id, "tester", 9)->cancelled, 0);
  EXPECT_EQ(jobs.Get(*id)->cancelled_at, 5);
  EXPECT_EQ(jobs.Cancel(999, "tester", 5).status().code(), StatusCode::kNotFound);
  EXPECT_EQ((CancelResult{3, 0, 0, 0}).Text(), "3 queued IMEIs cancelled");
  EXPECT_EQ(CancelResultJson(*id, *cancelled).dump(),
            fmt::format(R"({{"cancelled":2,"id":{},"in_review":1,"kept_in_flight":1,)"
                        R"("kept_resending":2}})",
                        *id));
}

// The core rule and its SQL twin agree on every state x after_uncertain.
TEST_F(JobRepositoryTest, TheSqlRuleAgreesWithTheCoreRule) {
  JobRepository jobs(*db_);
  Result<int64_t> id = jobs.Create(Job(true), {Valid(1, "352099001761481")}, 0);
  ASSERT_TRUE(id.ok());
  for (ItemState state : kAllItemStates) {
    for (bool after_uncertain : {false, true}) {
      ASSERT_TRUE(db_->Exec(fmt::format("UPDATE items SET state = '{}', after_uncertain = {}",
                                        ItemStateName(state), int{after_uncertain}))
                      .ok());
      std::string sql = fmt::format("SELECT {} FROM items", kNoCallMayHaveAppliedSql);
      EXPECT_EQ(Query(sql) == "1", NoCallMayHaveApplied(state, after_uncertain))
          << ItemStateName(state) << " after_uncertain=" << after_uncertain;
    }
  }
}

TEST_F(JobRepositoryTest, RetryQueuesFailedItemsWithAFreshBudget) {
  JobRepository jobs(*db_);
  Result<int64_t> id = jobs.Create(Job(), {Valid(1, "352099001761481")}, 0);
  ASSERT_TRUE(db_->Exec("UPDATE items SET state = 'failed', attempts = 5, reason = 'x'").ok());
  Result<int64_t> retried = jobs.RetryFailed(*id, "tester", 9);
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(*retried, 1);
  ItemRecord item = jobs.Items(*id, 0, 1)->front();
  EXPECT_EQ(item.state, ItemState::kQueued);
  EXPECT_EQ(item.attempts, 0);
  // A cancelled job is not retried: that would order what was cancelled.
  ASSERT_TRUE(db_->Exec("UPDATE items SET state = 'failed'").ok());
  ASSERT_TRUE(jobs.Cancel(*id, "tester", 10).ok());
  EXPECT_EQ(jobs.RetryFailed(*id, "tester", 11).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Query("SELECT state FROM items"), "failed");
}

// The audit row commits with the change it records, and only with it.
TEST_F(JobRepositoryTest, CancelAndRetryWriteTheirAuditRowWithTheChange) {
  JobRepository jobs(*db_);
  Result<int64_t> id = jobs.Create(Job(), {Valid(1, "352099001761481")}, 0);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(db_->Exec("UPDATE items SET state = 'failed', attempts = 5").ok());
  ASSERT_TRUE(jobs.RetryFailed(*id, "ann", 7).ok());
  EXPECT_EQ(Query("SELECT at || ' ' || actor || ' ' || action || ' ' || detail FROM audit"),
            fmt::format("7 ann job.retry Job {}: 1 failed IMEIs queued again", *id));
  ASSERT_TRUE(jobs.Cancel(*id, "bob", 8).ok());
  EXPECT_EQ(Query("SELECT actor || ' ' || action || ' ' || detail FROM audit WHERE id = 2"),
            fmt::format("bob job.cancel Job {}: 1 queued IMEIs cancelled", *id));

  // Refused changes leave no row.
  EXPECT_FALSE(jobs.RetryFailed(*id, "ann", 9).ok());  // cancelled
  EXPECT_FALSE(jobs.RetryFailed(999, "ann", 9).ok());
  EXPECT_FALSE(jobs.Cancel(999, "bob", 9).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM audit"), "2");
}

TEST_F(JobRepositoryTest, PagesThroughJobsNewestFirstAndCountsThem) {
  JobRepository jobs(*db_);
  EXPECT_EQ(*jobs.Count(), 0);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(jobs.Create(Job(), {}, 0).ok());
  EXPECT_EQ(*jobs.Count(), 5);
  Result<std::vector<JobSummary>> page = jobs.ListPage(2, 2);
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, 3);
  EXPECT_EQ((*page)[1].id, 2);
  EXPECT_EQ(jobs.ListPage(4, 2)->size(), 1u);
  EXPECT_TRUE(jobs.ListPage(10, 2)->empty());
}

TEST_F(JobRepositoryTest, ListsNewestFirst) {
  JobRepository jobs(*db_);
  ASSERT_TRUE(jobs.Create(Job(), {}, 0).ok());
  ASSERT_TRUE(jobs.Create(Job(), {Valid(1, "352099001761481")}, 0).ok());
  Result<std::vector<JobSummary>> list = jobs.List(10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_GT((*list)[0].id, (*list)[1].id);
  EXPECT_EQ((*list)[0].total, 1);
  EXPECT_EQ(jobs.Get(12345).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace imeiflow::store

namespace imeiflow::store {
namespace {

TEST_F(JobRepositoryTest, TellsWhetherAJobHasActiveItemsAndDescribesCounts) {
  JobRepository jobs(*db_);
  Result<int64_t> id = jobs.Create(
      Job(), {Valid(1, "352099001761481"), {2, "x", "x", false, "contains letters"}}, 0);
  ASSERT_TRUE(id.ok());
  EXPECT_TRUE(*jobs.HasActiveItems(*id));
  EXPECT_EQ(jobs.Get(*id)->CountsText(), "invalid 1, queued 1");
  ASSERT_TRUE(db_->Exec("UPDATE items SET state = 'accepted' WHERE state = 'queued'").ok());
  EXPECT_FALSE(*jobs.HasActiveItems(*id));
  EXPECT_EQ(jobs.Get(*id)->CountsText(), "invalid 1, accepted 1");
}

}  // namespace
}  // namespace imeiflow::store
