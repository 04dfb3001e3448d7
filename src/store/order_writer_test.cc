#include "store/order_writer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/dispatch_repository.h"
#include "store/job_repository.h"
#include "store/order_import.h"
#include "store/sync_repository.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

constexpr int64_t kDay1 = 1796083200000;  // 2026-12-01 00:00:00 UTC
constexpr int64_t kDay2 = kDay1 + 86'400'000;

// Refunds of rejected orders, through the real dispatch, sync and import paths.
class RefundTest : public TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    ASSERT_TRUE(db_->Exec("INSERT INTO services(id, title, price_cents, fetched_at)"
                          " VALUES ('1739', 'iPhone Check', 8, 0)")
                    .ok());
  }

  // A job of `n` IMEIs at 8 cents, placed on the supplier at `now` with
  // orders of status `status` (ids "u<item>"); returns the job id.
  int64_t ChargedJob(int n, int64_t now, const std::string& status = "pending",
                     bool refunds_rejected = true) {
    NewJob job;
    job.service_id = "1739";
    job.price = Money::FromCents(8);
    std::vector<NewItem> items;
    for (int i = 0; i < n; ++i) {
      std::string imei = fmt::format("35{:013}", next_imei_++);
      items.push_back({i + 1, imei, imei, true, ""});
    }
    Result<int64_t> id = JobRepository(*db_).Create(job, items, now);
    EXPECT_TRUE(id.ok());
    DispatchRepository dispatch(*db_, kDefaultFirstPollDelayMs, refunds_rejected);
    ClaimLimits limits;
    limits.max_calls = n;
    limits.now_ms = now;
    Result<ClaimResult> claim = dispatch.Claim(limits);
    EXPECT_TRUE(claim.ok());
    std::vector<FinishedCall> finished;
    for (const CallIntent& call : claim->calls) {
      FinishedCall f{call.call_id, "applied", 200, 5, "", {}};
      for (const CallItem& item : call.items) {
        ItemTransition t{item.item_id, ItemState::kAccepted, "", 0, false, false, std::nullopt,
                         std::nullopt};
        t.order = NewOrder{"u" + std::to_string(item.item_id), status};
        f.transitions.push_back(t);
      }
      finished.push_back(f);
    }
    EXPECT_TRUE(dispatch.Finish(finished, now).ok());
    return *id;
  }
  int64_t OrderId(const std::string& upstream_id) {
    return std::stoll(Query("SELECT id FROM orders WHERE upstream_id = '" + upstream_id + "'"));
  }
  PollRecord Rejected(int64_t order_id) {
    PollRecord poll;
    poll.order_id = order_id;
    poll.kind = PollRecord::Kind::kChanged;
    poll.status = "rejected";
    poll.code = "Invalid IMEI";
    return poll;
  }
  DaySpending Day(int64_t at) { return *DispatchRepository(*db_).SpendingOn(at); }

  int next_imei_ = 1;
};

TEST_F(RefundTest, ASyncedRejectionIsRefundedOnceOnTheDayOfTheCharge) {
  ChargedJob(3, kDay1 + 1000);
  int64_t order = OrderId("u1");
  SyncRepository sync(*db_);
  ASSERT_TRUE(sync.Record({Rejected(order)}, kDay2 + 5).ok());  // the answer comes the next day
  ASSERT_TRUE(sync.Record({Rejected(order)}, kDay2 + 9).ok());  // asked again: no second refund
  EXPECT_EQ(Day(kDay1).charged.cents(), 24);
  EXPECT_EQ(Day(kDay1).refunded.cents(), 8);
  EXPECT_EQ(DispatchRepository(*db_).SpentToday(kDay1)->cents(), 16);
  EXPECT_EQ(Day(kDay2).refunded.cents(), 0);
  EXPECT_EQ(Query("SELECT refunded_at FROM orders WHERE id = " + std::to_string(order)),
            std::to_string(kDay2 + 5));
  // BookRefund itself books once.
  EXPECT_FALSE(*BookRefund(*db_, order, kDay2 + 10));
  EXPECT_EQ(Day(kDay1).refunded.cents(), 8);
}

TEST_F(RefundTest, NoRefundWhenTheSupplierKeepsTheMoney) {
  ChargedJob(2, kDay1);
  ASSERT_TRUE(SyncRepository(*db_, /*refunds_rejected=*/false)
                  .Record({Rejected(OrderId("u1"))}, kDay1 + 5)
                  .ok());
  EXPECT_EQ(Day(kDay1).refunded.cents(), 0);
  EXPECT_EQ(DispatchRepository(*db_).SpentToday(kDay1)->cents(), 16);
  EXPECT_EQ(Query("SELECT quote(refunded_at) FROM orders WHERE upstream_id = 'u1'"), "NULL");
}

TEST_F(RefundTest, APlaceAnswerAlreadyRejectedIsRefunded) {
  ChargedJob(2, kDay1, "rejected");
  EXPECT_EQ(Day(kDay1).charged.cents(), 16);
  EXPECT_EQ(Day(kDay1).refunded.cents(), 16);
  ChargedJob(1, kDay1, "rejected", /*refunds_rejected=*/false);
  EXPECT_EQ(Day(kDay1).refunded.cents(), 16);
  EXPECT_EQ(DispatchRepository(*db_).SpentToday(kDay1)->cents(), 8);
}

TEST_F(RefundTest, AnImportedRejectionIsRefundedOnceAndJoblessOrdersNever) {
  ChargedJob(1, kDay1 + 1000);
  std::string imei = Query("SELECT imei FROM orders WHERE upstream_id = 'u1'");
  ImportRow row;
  row.line = 2;
  row.service = "iPhone Check";
  row.imei = imei;
  row.price = Money::FromCents(8);
  row.status = "rejected";
  row.code = "Invalid IMEI";
  row.placed_at = kDay1 + 1000;
  ImportRow jobless = row;
  jobless.line = 3;
  jobless.imei = "356938035643809";
  std::vector<ImportError> errors;
  ASSERT_TRUE(OrderImporter(*db_).Import({row, jobless}, "t", "f.csv", kDay2, &errors).ok());
  ASSERT_TRUE(OrderImporter(*db_).Import({row, jobless}, "t", "f.csv", kDay2 + 1, &errors).ok());
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(Day(kDay1).charged.cents(), 8);
  EXPECT_EQ(Day(kDay1).refunded.cents(), 8);
  EXPECT_EQ(Query("SELECT count(*) FROM orders WHERE refunded_at IS NOT NULL"), "1");

  ChargedJob(1, kDay1 + 2000);
  row.imei = Query("SELECT imei FROM orders WHERE upstream_id = 'u2'");
  row.placed_at = kDay1 + 2000;
  ASSERT_TRUE(OrderImporter(*db_, /*refunds_rejected=*/false)
                  .Import({row}, "t", "f.csv", kDay2, &errors)
                  .ok());
  EXPECT_EQ(Query("SELECT status FROM orders WHERE upstream_id = 'u2'"), "rejected");
  EXPECT_EQ(Day(kDay1).refunded.cents(), 8);
}

}  // namespace
}  // namespace imeiflow::store
