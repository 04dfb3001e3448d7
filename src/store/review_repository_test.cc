#include "store/review_repository.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/dispatch_repository.h"
#include "store/job_repository.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class ReviewRepositoryTest : public TestDatabase {
 protected:
  // A job of three items, all made uncertain the way a crash makes them.
  int64_t UncertainJob() {
    NewJob job;
    job.service_id = "1739";
    job.price = Money::FromCents(8);
    std::vector<NewItem> items;
    for (int i = 1; i <= 3; ++i) {
      std::string imei = "35209900176148" + std::to_string(i);
      items.push_back({i, imei, imei, true, ""});
    }
    Result<int64_t> id = JobRepository(*db_).Create(job, items, 0);
    DispatchRepository dispatch(*db_);
    ClaimLimits limits;
    limits.max_calls = 3;
    EXPECT_TRUE(dispatch.Claim(limits).ok());
    EXPECT_EQ(*dispatch.Recover(100), 3);
    return *id;
  }
};

TEST_F(ReviewRepositoryTest, ListsUncertainItems) {
  int64_t job = UncertainJob();
  ReviewRepository review(*db_);
  Result<std::vector<ReviewItem>> items = review.List(10);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 3u);
  EXPECT_EQ(*review.Count(), 3);
  EXPECT_EQ((*items)[0].job_id, job);
  EXPECT_EQ((*items)[0].service_id, "1739");
  EXPECT_EQ((*items)[0].attempts, 1);
  EXPECT_EQ((*items)[0].since, 100);
  EXPECT_NE((*items)[0].reason.find("may have been applied"), std::string::npos);
}

TEST_F(ReviewRepositoryTest, DecisionsMoveItemsChargeAndAudit) {
  int64_t job = UncertainJob();
  ReviewRepository review(*db_);
  std::vector<ReviewItem> items = *review.List(10);

  ASSERT_EQ(*review.Decide(items[0].item_id, std::nullopt, ReviewDecision::kSubmitted, "ana", 5),
            1);
  ASSERT_EQ(*review.Decide(items[1].item_id, std::nullopt, ReviewDecision::kResend, "ana", 6), 1);
  ASSERT_EQ(*review.Decide(std::nullopt, job, ReviewDecision::kCancel, "bo", 7), 1);

  EXPECT_EQ(Query(fmt::format("SELECT state FROM items WHERE id = {}", items[0].item_id)),
            "accepted_unconfirmed");
  EXPECT_EQ(Query("SELECT status || ' ' || (upstream_id IS NULL) FROM orders"), "unconfirmed 1");
  EXPECT_EQ(DispatchRepository(*db_).SpentToday(5)->cents(), 8);
  EXPECT_EQ(Query(fmt::format("SELECT state || ' ' || after_uncertain FROM items WHERE id = {}",
                              items[1].item_id)),
            "queued 1");
  EXPECT_EQ(Query(fmt::format("SELECT state FROM items WHERE id = {}", items[2].item_id)),
            "cancelled");
  EXPECT_EQ(Query("SELECT group_concat(actor || ':' || action, ',') FROM audit"),
            "ana:review.submitted,ana:review.resend,bo:review.cancel");
}

// Cancel says the supplier never placed it: not when an order for the IMEI +
// service exists (an import, or another job, found it charged).
TEST_F(ReviewRepositoryTest, CancelIsRefusedWhenTheImeiHasAnOrder) {
  int64_t job = UncertainJob();
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(imei, service_id, status, price_cents, placed_at,"
                        " updated_at) VALUES ('352099001761482', '1739', 'completed', 8, 1, 1),"
                        " ('352099001761483', '1739', 'rejected', 8, 1, 1),"
                        " ('352099001761481', '2001', 'completed', 5, 1, 1)")
                  .ok());
  ReviewRepository review(*db_);
  Result<int64_t> refused = review.Decide(std::nullopt, job, ReviewDecision::kCancel, "bo", 7);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("IMEI 352099001761482 already has order 1"),
            std::string::npos)
      << refused.status().message();
  EXPECT_EQ(*review.Count(), 3);  // nothing changed, nothing audited
  EXPECT_EQ(Query("SELECT count(*) FROM audit"), "0");
  // A rejected order, or an order for another service, does not stand in the way.
  std::vector<ReviewItem> items = *review.List(10);
  EXPECT_EQ(*review.Decide(items[0].item_id, std::nullopt, ReviewDecision::kCancel, "bo", 8), 1);
  EXPECT_EQ(*review.Decide(items[2].item_id, std::nullopt, ReviewDecision::kCancel, "bo", 8), 1);
}

TEST_F(ReviewRepositoryTest, RefusesWhatIsNotAwaitingReview) {
  UncertainJob();
  ReviewRepository review(*db_);
  Result<int64_t> none = review.Decide(999, std::nullopt, ReviewDecision::kCancel, "ana", 1);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), "item 999 is not awaiting review");
  EXPECT_FALSE(review.Decide(1, 1, ReviewDecision::kCancel, "ana", 1).ok());
  EXPECT_EQ(ParseReviewDecision("resend"), ReviewDecision::kResend);
  EXPECT_FALSE(ParseReviewDecision("maybe").has_value());
  EXPECT_EQ(Query("SELECT count(*) FROM audit"), "0");
}

}  // namespace
}  // namespace imeiflow::store
