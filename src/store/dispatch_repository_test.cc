#include "store/dispatch_repository.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/job_repository.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

// g++ 12 warns about designated initializers that leave members out.
ClaimLimits Limits(int max_calls, int64_t now_ms, bool one_imei_per_call = false,
                   std::optional<Money> cap = std::nullopt) {
  ClaimLimits limits;
  limits.max_calls = max_calls;
  limits.now_ms = now_ms;
  limits.one_imei_per_call = one_imei_per_call;
  limits.daily_cap = cap;
  return limits;
}

class DispatchRepositoryTest : public TestDatabase {
 protected:
  // A job of `n` distinct (not necessarily Luhn-valid) IMEIs.
  int64_t AddJob(int n, int batch_size = 1, int64_t cents = 8, std::string service = "1739") {
    NewJob job;
    job.service_id = std::move(service);
    job.price = Money::FromCents(cents);
    job.batch_size = batch_size;
    std::vector<NewItem> items;
    for (int i = 0; i < n; ++i) {
      std::string imei = fmt::format("35{:013}", next_imei_++);
      items.push_back({i + 1, imei, imei, true, ""});
    }
    Result<int64_t> id = JobRepository(*db_).Create(job, items, 0);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return *id;
  }
  int64_t Count(const std::string& state) {
    return std::stoll(Query("SELECT count(*) FROM items WHERE state = '" + state + "'"));
  }
  static FinishedCall Applied(const CallIntent& call, ItemState to) {
    FinishedCall f{call.call_id, "applied", 200, 5, "", {}};
    for (const CallItem& item : call.items) {
      ItemTransition t{item.item_id, to, "", 0, false, false, std::nullopt, std::nullopt};
      if (to == ItemState::kAccepted)
        t.order = NewOrder{"u" + std::to_string(item.item_id), "pending"};
      f.transitions.push_back(t);
    }
    return f;
  }
  int next_imei_ = 1;
};

TEST_F(DispatchRepositoryTest, ClaimCommitsIntentsInBatchesOfTheJob) {
  AddJob(5, /*batch_size=*/2);
  DispatchRepository dispatch(*db_);
  Result<ClaimResult> claim = dispatch.Claim(Limits(2, 100));
  ASSERT_TRUE(claim.ok()) << claim.status().message();
  ASSERT_EQ(claim->calls.size(), 2u);
  EXPECT_EQ(claim->calls[0].items.size(), 2u);
  EXPECT_EQ(claim->calls[1].items.size(), 2u);
  EXPECT_EQ(claim->calls[0].service_id, "1739");
  EXPECT_EQ(claim->calls[0].price, Money::FromCents(8));
  EXPECT_EQ(claim->calls[0].items[0].attempts, 1);
  EXPECT_FALSE(claim->capped);
  // Durable before sending: visible from a second connection.
  auto other = Database::Open(path_);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(QueryText(**other, "SELECT count(*) FROM items WHERE state = 'in_flight'"), "4");
  EXPECT_EQ(QueryText(**other, "SELECT count(*) FROM calls WHERE outcome IS NULL"), "2");
  EXPECT_EQ(QueryText(**other, "SELECT count(*) FROM call_items"), "4");
  EXPECT_EQ(Count("queued"), 1);
}

TEST_F(DispatchRepositoryTest, OneImeiPerCallModeAndAloneItemsGoOutSingly) {
  AddJob(4, /*batch_size=*/10);
  DispatchRepository dispatch(*db_);
  ASSERT_TRUE(db_->Exec("UPDATE items SET alone = 1 WHERE line = 2").ok());
  Result<ClaimResult> claim = dispatch.Claim(Limits(10, 0));
  ASSERT_TRUE(claim.ok());
  ASSERT_EQ(claim->calls.size(), 3u);  // [1], [2 alone], [3, 4]
  EXPECT_EQ(claim->calls[0].items.size(), 1u);
  EXPECT_EQ(claim->calls[1].items.size(), 1u);
  EXPECT_EQ(claim->calls[2].items.size(), 2u);

  AddJob(3, /*batch_size=*/10);
  claim = dispatch.Claim(Limits(10, 0, true));
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ(claim->calls.size(), 3u);
}

TEST_F(DispatchRepositoryTest, CallsNeverMixJobsAndWaitForNotBefore) {
  AddJob(1, 10, 8, "1739");
  AddJob(1, 10, 5, "2001");
  AddJob(1, 10, 8, "1739");
  ASSERT_TRUE(db_->Exec("UPDATE items SET not_before = 500 WHERE job_id = 3").ok());
  DispatchRepository dispatch(*db_);
  Result<ClaimResult> claim = dispatch.Claim(Limits(10, 100));
  ASSERT_TRUE(claim.ok());
  ASSERT_EQ(claim->calls.size(), 2u);
  EXPECT_EQ(claim->calls[1].service_id, "2001");
  EXPECT_EQ(claim->calls[1].price, Money::FromCents(5));
  EXPECT_EQ(*dispatch.NextReadyAt(), 500);
  EXPECT_EQ(dispatch.Claim(Limits(10, 499))->calls.size(), 0u);
  EXPECT_EQ(dispatch.Claim(Limits(10, 500))->calls.size(), 1u);
}

TEST_F(DispatchRepositoryTest, DailyCapCountsSpentAndReservedMoney) {
  AddJob(10, 1, /*cents=*/100);
  DispatchRepository dispatch(*db_);
  ClaimLimits limits = Limits(10, 0, false, Money::FromCents(350));
  Result<ClaimResult> first = dispatch.Claim(limits);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->calls.size(), 3u);  // 3 x $1.00 <= $3.50
  EXPECT_TRUE(first->capped);
  // In flight counts as reserved: nothing more until answers come.
  EXPECT_EQ(dispatch.Claim(limits)->calls.size(), 0u);
  // Two accepted (charged), one refused as duplicate (not charged): $1.50 left.
  FinishedCall a = Applied(first->calls[0], ItemState::kAccepted);
  FinishedCall b = Applied(first->calls[1], ItemState::kAccepted);
  FinishedCall c = Applied(first->calls[2], ItemState::kDuplicate);
  ASSERT_TRUE(dispatch.Finish({a, b, c}, 0).ok());
  EXPECT_EQ(*dispatch.SpentToday(0), Money::FromCents(200));
  Result<ClaimResult> second = dispatch.Claim(limits);
  EXPECT_EQ(second->calls.size(), 1u);
  EXPECT_TRUE(second->capped);
  // The next UTC day has a fresh budget.
  limits.now_ms = 86'400'000;
  EXPECT_EQ(dispatch.Claim(limits)->calls.size(), 2u);
}

TEST_F(DispatchRepositoryTest, FinishRecordsOrdersStatesAndSpendingTogether) {
  AddJob(3, 3);
  DispatchRepository dispatch(*db_);
  CallIntent call = dispatch.Claim(Limits(1, 0))->calls.at(0);
  ASSERT_EQ(call.items.size(), 3u);
  FinishedCall f{call.call_id, "applied", 200, 17, "", {}};
  f.transitions.push_back({call.items[0].item_id, ItemState::kAccepted, "", 0, false, false,
                           NewOrder{"9001", "pending"}, std::nullopt});
  f.transitions.push_back({call.items[1].item_id, ItemState::kRejected, "Invalid IMEI", 0, false,
                           false, std::nullopt, std::nullopt});
  f.transitions.push_back({call.items[2].item_id, ItemState::kQueued,
                           "left out of the batch answer", 0, false, true, std::nullopt,
                           std::nullopt});
  ASSERT_TRUE(dispatch.Finish({f}, 1000).ok());

  EXPECT_EQ(Query("SELECT outcome || ' ' || latency_ms FROM calls"), "applied 17");
  EXPECT_EQ(Query("SELECT upstream_id || ' ' || imei || ' ' || status || ' ' || price_cents"
                  " FROM orders"),
            "9001 " + call.items[0].imei + " pending 8");
  EXPECT_EQ(Query(fmt::format("SELECT order_id IS NOT NULL FROM items WHERE id = {}",
                              call.items[0].item_id)),
            "1");
  EXPECT_EQ(Query(fmt::format("SELECT reason FROM items WHERE id = {}", call.items[1].item_id)),
            "Invalid IMEI");
  EXPECT_EQ(Query(fmt::format("SELECT alone FROM items WHERE id = {}", call.items[2].item_id)),
            "1");
  EXPECT_EQ(dispatch.SpentToday(1000)->cents(), 8);

  // Applying the same answer again changes nothing.
  ASSERT_TRUE(dispatch.Finish({f}, 2000).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM orders"), "1");
  EXPECT_EQ(dispatch.SpentToday(1000)->cents(), 8);
  EXPECT_EQ(Count("queued"), 1);
}

TEST_F(DispatchRepositoryTest, UnconfirmedOrdersHaveNoUpstreamId) {
  AddJob(2, 1);
  DispatchRepository dispatch(*db_);
  std::vector<CallIntent> calls = dispatch.Claim(Limits(2, 0))->calls;
  std::vector<FinishedCall> finished;
  for (const CallIntent& call : calls) {
    FinishedCall f{call.call_id, "applied", 200, 1, "", {}};
    f.transitions.push_back({call.items[0].item_id, ItemState::kAcceptedUnconfirmed,
                             "IMEI already exists!", 0, false, false, NewOrder{"", "unconfirmed"},
                             std::nullopt});
    finished.push_back(f);
  }
  ASSERT_TRUE(dispatch.Finish(finished, 0).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM orders WHERE upstream_id IS NULL"), "2");
  EXPECT_EQ(Count("accepted_unconfirmed"), 2);
  EXPECT_EQ(dispatch.SpentToday(0)->cents(), 16);
}

TEST_F(DispatchRepositoryTest, RecoverMakesUnansweredCallsUncertainThenRequeueMarksThem) {
  AddJob(3, 1);
  DispatchRepository dispatch(*db_);
  std::vector<CallIntent> calls = dispatch.Claim(Limits(2, 0))->calls;
  ASSERT_EQ(calls.size(), 2u);
  ASSERT_TRUE(dispatch.Finish({Applied(calls[0], ItemState::kAccepted)}, 0).ok());

  // A new process starts: the second call never got its answer recorded.
  Result<int64_t> recovered = dispatch.Recover(50);
  ASSERT_TRUE(recovered.ok());
  EXPECT_EQ(*recovered, 1);
  EXPECT_EQ(Count("uncertain"), 1);
  EXPECT_EQ(Query("SELECT count(*) FROM calls WHERE outcome = 'unknown'"), "1");
  EXPECT_EQ(*dispatch.Recover(60), 0);

  // A late answer to the recovered call is not applied twice.
  ASSERT_TRUE(dispatch.Finish({Applied(calls[1], ItemState::kAccepted)}, 70).ok());
  EXPECT_EQ(Count("uncertain"), 1);
  EXPECT_EQ(Query("SELECT count(*) FROM orders"), "1");

  EXPECT_EQ(*dispatch.RequeueUncertain(80), 1);
  EXPECT_EQ(*dispatch.QueuedCount(), 2);
  CallIntent resend = dispatch.Claim(Limits(5, 80))->calls.at(0);
  EXPECT_TRUE(resend.items[0].after_uncertain);
  EXPECT_EQ(resend.items[0].attempts, 2);
}

TEST_F(DispatchRepositoryTest, DailyCapCountsUncertainAndResendingItemsAsReserved) {
  AddJob(4, 1, /*cents=*/100);
  DispatchRepository dispatch(*db_);
  ASSERT_TRUE(db_->Exec("UPDATE items SET state = 'uncertain' WHERE line = 1").ok());
  ASSERT_TRUE(db_->Exec("UPDATE items SET after_uncertain = 1 WHERE line = 2").ok());
  // $3.50 less $2.00 reserved (one uncertain, one queued to be resent): one
  // more call fits, and the resend goes first (oldest item).
  Result<ClaimResult> claim = dispatch.Claim(Limits(10, 0, false, Money::FromCents(350)));
  ASSERT_TRUE(claim.ok()) << claim.status().message();
  ASSERT_EQ(claim->calls.size(), 1u);
  EXPECT_TRUE(claim->calls[0].items[0].after_uncertain);
  EXPECT_TRUE(claim->capped);
}

// Answers back for a cancelled job's items: a plain not-applied item is
// cancelled, one that an earlier call may have ordered goes to review, a
// resend after an unknown call stays queued; other jobs are untouched.
TEST_F(DispatchRepositoryTest, FinishAppliesTheCancelRuleToACancelledJobsReturningItems) {
  int64_t job = AddJob(3, 1);
  int64_t other = AddJob(1, 1);
  DispatchRepository dispatch(*db_);
  ASSERT_TRUE(db_->Exec(fmt::format("UPDATE items SET after_uncertain = 1 WHERE job_id = {} AND "
                                    "line = 2",
                                    job))
                  .ok());
  std::vector<CallIntent> calls = dispatch.Claim(Limits(4, 0))->calls;
  ASSERT_EQ(calls.size(), 4u);
  Result<CancelResult> cancelled = JobRepository(*db_).Cancel(job, "tester", 1);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->cancelled, 0);
  EXPECT_EQ(cancelled->kept_in_flight, 3);

  std::vector<FinishedCall> answers;
  for (size_t i = 0; i < calls.size(); ++i) {
    const CallItem& item = calls[i].items[0];
    FinishedCall f{calls[i].call_id, "not_applied", 503, 5, "HTTP 503", {}};
    ItemTransition t{item.item_id, ItemState::kQueued, "HTTP 503",  0, item.after_uncertain,
                     false,        std::nullopt,       std::nullopt};
    if (i == 2) {  // the third stands for an unknown call: resent to learn, kept
      f.outcome = "unknown";
      t.after_uncertain = true;
    } else {
      t.if_job_cancelled = item.after_uncertain ? ItemState::kUncertain : ItemState::kCancelled;
    }
    f.transitions.push_back(t);
    answers.push_back(f);
  }
  ASSERT_TRUE(dispatch.Finish(answers, 2).ok());
  auto state = [&](int64_t job_id, int line) {
    return Query(
        fmt::format("SELECT state FROM items WHERE job_id = {} AND line = {}", job_id, line));
  };
  EXPECT_EQ(state(job, 1), "cancelled");
  EXPECT_EQ(state(job, 2), "uncertain");
  EXPECT_EQ(state(job, 3), "queued");
  EXPECT_EQ(state(other, 1), "queued");
  EXPECT_NE(Query(fmt::format("SELECT reason FROM items WHERE job_id = {} AND line = 2", job))
                .find("job cancelled"),
            std::string::npos);

  // Told to cancel an item an earlier call may have ordered (a bug in the
  // policy), Finish fails loudly and records nothing of the answers: the one
  // rule guards every end without an order (ItemTransitions).
  std::vector<CallIntent> again = dispatch.Claim(Limits(4, 0))->calls;
  ASSERT_EQ(again.size(), 2u);  // job's line 3 (a resend) and the other job's item
  FinishedCall wrong{again[0].call_id, "not_applied", 503, 5, "HTTP 503", {}};
  wrong.transitions.push_back({again[0].items[0].item_id, ItemState::kQueued, "HTTP 503", 0, true,
                               false, std::nullopt, ItemState::kCancelled});
  Status refused = dispatch.Finish({wrong}, 3);
  EXPECT_EQ(refused.code(), StatusCode::kInternal) << refused.message();
  EXPECT_EQ(state(job, 3), "in_flight");
  EXPECT_EQ(Query(fmt::format("SELECT outcome IS NULL FROM calls WHERE id = {}", again[0].call_id)),
            "1");
}

TEST(UtcDayTest, FormatsTheUtcDate) {
  EXPECT_EQ(UtcDay(0), "1970-01-01");
  EXPECT_EQ(UtcDay(1'795'910'400'000), "2026-11-29");
  EXPECT_EQ(UtcDay(1'795'996'799'999), "2026-11-29");
}

}  // namespace
}  // namespace imeiflow::store
