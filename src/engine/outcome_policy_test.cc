#include "engine/outcome_policy.h"

#include <gtest/gtest.h>

namespace imeiflow::engine {
namespace {

using upstream::CallClass;

store::CallIntent OneItem(int attempts, bool after_uncertain) {
  store::CallIntent intent;
  intent.call_id = 7;
  intent.service_id = "1739";
  intent.price = Money::FromCents(8);
  intent.items.push_back({41, 3, "352099001761481", attempts, after_uncertain});
  return intent;
}

upstream::PlaceOrderResult Answer(CallClass call_class, int http_status) {
  upstream::PlaceOrderResult r;
  r.verdict.call_class = call_class;
  r.verdict.http_status = http_status;
  r.verdict.message = "HTTP 503";
  return r;
}

class OutcomePolicyTest : public ::testing::Test {
 protected:
  store::ItemTransition Judge(const store::CallIntent& intent,
                              const upstream::PlaceOrderResult& result, bool refuses = true) {
    OutcomePolicy policy({/*retry_budget=*/3, refuses}, backoff_);
    PolicyVerdict v = policy.Judge(intent, result, 10, 1000);
    EXPECT_EQ(v.finished.transitions.size(), 1u);
    return v.finished.transitions.front();
  }
  RetryBackoff backoff_{100, 1000, 1};
};

TEST_F(OutcomePolicyTest, ASpentBudgetFailsOnlyItemsNoCallMayHaveApplied) {
  store::ItemTransition plain = Judge(OneItem(3, false), Answer(CallClass::kNotApplied, 503));
  EXPECT_EQ(plain.to, ItemState::kFailed);
  store::ItemTransition resent = Judge(OneItem(3, true), Answer(CallClass::kNotApplied, 503));
  EXPECT_EQ(resent.to, ItemState::kUncertain);  // needs review, never failed
  EXPECT_TRUE(resent.after_uncertain);
  EXPECT_NE(resent.reason.find("an earlier call may have been applied"), std::string::npos);
}

TEST_F(OutcomePolicyTest, ANotAppliedItemOfACancelledJobIsCancelledOnlyIfNoCallMayHaveApplied) {
  store::ItemTransition plain = Judge(OneItem(1, false), Answer(CallClass::kNotApplied, 503));
  EXPECT_EQ(plain.to, ItemState::kQueued);
  EXPECT_EQ(plain.if_job_cancelled, ItemState::kCancelled);
  store::ItemTransition resent = Judge(OneItem(1, true), Answer(CallClass::kNotApplied, 503));
  EXPECT_EQ(resent.to, ItemState::kQueued);
  EXPECT_EQ(resent.if_job_cancelled, ItemState::kUncertain);
  store::ItemTransition fatal = Judge(OneItem(1, true), Answer(CallClass::kFatal, 200));
  EXPECT_EQ(fatal.if_job_cancelled, ItemState::kUncertain);
}

TEST_F(OutcomePolicyTest, AnUnknownCallIsResentEvenForACancelledJob) {
  // The resend is what tells whether the first call landed (design rule 5).
  store::ItemTransition t = Judge(OneItem(1, false), Answer(CallClass::kUnknown, 0));
  EXPECT_EQ(t.to, ItemState::kQueued);
  EXPECT_TRUE(t.after_uncertain);
  EXPECT_FALSE(t.if_job_cancelled.has_value());
  EXPECT_EQ(Judge(OneItem(1, false), Answer(CallClass::kUnknown, 0), false).to,
            ItemState::kUncertain);
}

TEST_F(OutcomePolicyTest, AnUnknownRowOfAnAppliedCallMayHaveBeenApplied) {
  upstream::PlaceOrderResult r = Answer(CallClass::kApplied, 200);
  r.verdict.message.clear();
  r.outcomes.push_back({"352099001761481",
                        upstream::ImeiOutcomeKind::kUnknown,
                        "",
                        {},
                        "the bulk answer's row said neither ordered nor refused"});
  // Refused duplicates: sent again, marked after_uncertain (rule 5).
  store::ItemTransition resent = Judge(OneItem(1, false), r);
  EXPECT_EQ(resent.to, ItemState::kQueued);
  EXPECT_TRUE(resent.after_uncertain);
  EXPECT_NE(resent.reason.find("neither ordered nor refused"), std::string::npos);
  // Otherwise a person decides; never an end without an order.
  store::ItemTransition review = Judge(OneItem(1, false), r, false);
  EXPECT_EQ(review.to, ItemState::kUncertain);
  EXPECT_FALSE(review.order.has_value());
}

TEST_F(OutcomePolicyTest, OutOfCreditIsFatalAndRequeuesWithItsReason) {
  upstream::PlaceOrderResult r = Answer(CallClass::kFatal, 200);
  r.verdict.out_of_credit = true;
  r.verdict.message = "Not enough credits";
  OutcomePolicy policy({3, true}, backoff_);
  PolicyVerdict v = policy.Judge(OneItem(1, false), r, 10, 1000);
  EXPECT_TRUE(v.fatal);
  EXPECT_TRUE(v.out_of_credit);
  ASSERT_EQ(v.finished.transitions.size(), 1u);
  EXPECT_EQ(v.finished.transitions[0].to, ItemState::kQueued);
  EXPECT_NE(v.finished.transitions[0].reason.find("not enough credit"), std::string::npos);
}

}  // namespace
}  // namespace imeiflow::engine
