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

TEST_F(ReviewRepositoryTest, ShowsAndLinksAnOrderThatExistsForTheImei) {
  int64_t job = UncertainJob();
  ReviewRepository review(*db_);
  std::vector<ReviewItem> items = *review.List(10);
  // Item 0's order came in with the supplier's export (no job: not counted);
  // item 1's IMEI has an order of this job already counted; a rejected order
  // is no order.
  ASSERT_TRUE(
      db_
          ->Exec(fmt::format(
              "INSERT INTO orders(id, imei, service_id, status, price_cents, job_id,"
              " placed_at, updated_at) VALUES (40, '{0}', '1739', 'completed', 8, NULL, 1, 1),"
              " (41, '{1}', '1739', 'pending', 8, {3}, 1, 1),"
              " (42, '{2}', '1739', 'rejected', 8, {3}, 1, 1)",
              items[0].imei, items[1].imei, items[2].imei, job))
          .ok());
  items = *review.List(10);
  ASSERT_TRUE(items[0].order.has_value());
  EXPECT_EQ(items[0].order->id, 40);
  EXPECT_EQ(items[0].order->status, "completed");
  ASSERT_TRUE(items[1].order.has_value());
  EXPECT_EQ(items[1].order->id, 41);
  EXPECT_FALSE(items[2].order.has_value());

  ASSERT_EQ(*review.Decide(items[0].item_id, std::nullopt, ReviewDecision::kSubmitted, "ana", 5),
            1);
  ASSERT_EQ(*review.Decide(items[1].item_id, std::nullopt, ReviewDecision::kSubmitted, "ana", 5),
            1);
  EXPECT_EQ(Query(fmt::format("SELECT group_concat(state || ':' || order_id, ',') FROM items"
                              " WHERE id IN ({}, {})",
                              items[0].item_id, items[1].item_id)),
            "accepted:40,accepted:41");
  EXPECT_EQ(Query("SELECT count(*) FROM orders"), "3");  // no second order
  EXPECT_EQ(Query("SELECT job_id FROM orders WHERE id = 40"), std::to_string(job));
  // Only the imported order's price was not counted yet.
  EXPECT_EQ(DispatchRepository(*db_).SpentToday(5)->cents(), 8);
  EXPECT_EQ(Query("SELECT group_concat(detail, ',') FROM audit"),
            fmt::format("item {}: linked to order 40,item {}: linked to order 41", items[0].item_id,
                        items[1].item_id));
}

TEST_F(ReviewRepositoryTest, ResendAndCancelAreRefusedWhereAnOrderExists) {
  int64_t job = UncertainJob();
  ReviewRepository review(*db_);
  std::vector<ReviewItem> items = *review.List(10);
  ASSERT_TRUE(db_->Exec(fmt::format("INSERT INTO orders(id, imei, service_id, status,"
                                    " price_cents, placed_at, updated_at)"
                                    " VALUES (40, '{}', '1739', 'completed', 8, 1, 1)",
                                    items[0].imei))
                  .ok());
  for (ReviewDecision d : {ReviewDecision::kResend, ReviewDecision::kCancel}) {
    Result<int64_t> refused = review.Decide(items[0].item_id, std::nullopt, d, "ana", 5);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(refused.status().message().find("already has order 40 (Completed)"),
              std::string::npos)
        << refused.status().message();
  }
  int64_t left = -1;
  ASSERT_EQ(*review.Decide(std::nullopt, job, ReviewDecision::kResend, "ana", 6, &left), 2);
  EXPECT_EQ(left, 1);
  EXPECT_EQ(Query(fmt::format("SELECT state FROM items WHERE id = {}", items[0].item_id)),
            "uncertain");
  EXPECT_EQ(*review.Count(), 1);
  EXPECT_EQ(Query("SELECT count(*) FROM audit"), "2");
}

TEST(ReviewReasonTextTest, TransportErrorsAreToldInPlainWords) {
  EXPECT_EQ(ReviewReasonText("timed out after sending to https://s.test (timed out); the supplier "
                             "may have acted on it",
                             60),
            "no answer from the supplier in 60 s after sending");
  EXPECT_EQ(ReviewReasonText("connection lost to https://s.test (connection lost); the supplier "
                             "may have acted on it",
                             60),
            "connection dropped after sending");
  EXPECT_EQ(ReviewReasonText("https://s.test answered HTTP 502; the supplier may have acted on it",
                             60),
            "the supplier's server failed while answering");
  EXPECT_EQ(ReviewReasonText("an earlier call may have been applied; timed out after sending", 30),
            "an earlier send may have reached the supplier; then no answer from the supplier in "
            "30 s after sending");
}

}  // namespace
}  // namespace imeiflow::store
