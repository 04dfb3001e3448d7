#include "sim/fault_plan.h"

#include <gtest/gtest.h>

#include <vector>

namespace imeiflow::sim {
namespace {

TEST(FaultPlanTest, NoFaultsByDefault) {
  FaultPlan plan({}, 1);
  for (int i = 0; i < 100; ++i) {
    FaultDecision d = plan.DrawForPlaceOrder();
    EXPECT_EQ(d.kind, FaultKind::kNone);
    EXPECT_FALSE(d.phpxml);
  }
}

TEST(FaultPlanTest, CertainFaultsAlwaysHappenInPrecedence) {
  FaultOptions o;
  o.hang = 1;
  EXPECT_EQ(FaultPlan(o, 1).DrawForPlaceOrder().kind, FaultKind::kHang);
  o.reset = 1;
  EXPECT_EQ(FaultPlan(o, 1).DrawForPlaceOrder().kind, FaultKind::kReset);
  o.http500 = 1;
  EXPECT_EQ(FaultPlan(o, 1).DrawForPlaceOrder().kind, FaultKind::kHttp500);
  o.http503 = 1;
  EXPECT_EQ(FaultPlan(o, 1).DrawForPlaceOrder().kind, FaultKind::kHttp503);
  o.phpxml = 1;
  EXPECT_TRUE(FaultPlan(o, 1).DrawForOtherCall().phpxml);
  EXPECT_EQ(FaultPlan(o, 1).DrawForOtherCall().kind, FaultKind::kNone);
}

TEST(FaultPlanTest, FiveHundredsCommitAboutHalfTheTime) {
  FaultOptions o;
  o.http500 = 1;
  FaultPlan plan(o, 3);
  int committed = 0;
  for (int i = 0; i < 1000; ++i) committed += plan.DrawForPlaceOrder().commit_first;
  EXPECT_GT(committed, 400);
  EXPECT_LT(committed, 600);
}

TEST(FaultPlanTest, HtmlPagesComeAfterHangsAndCommitAboutHalfTheTime) {
  FaultOptions o;
  o.html = 1;
  FaultPlan plan(o, 5);
  int committed = 0;
  for (int i = 0; i < 1000; ++i) {
    FaultDecision d = plan.DrawForPlaceOrder();
    ASSERT_EQ(d.kind, FaultKind::kHtml);
    committed += d.commit_first;
  }
  EXPECT_GT(committed, 400);
  EXPECT_LT(committed, 600);
  EXPECT_EQ(plan.DrawForOtherCall().kind, FaultKind::kHtml);
  o.hang = 1;
  EXPECT_EQ(FaultPlan(o, 1).DrawForPlaceOrder().kind, FaultKind::kHang);
}

TEST(FaultPlanTest, SameSeedSameDecisions) {
  FaultOptions o;
  o.http503 = 0.2;
  o.reset = 0.2;
  o.phpxml = 0.3;
  auto draw = [&](uint64_t seed) {
    FaultPlan plan(o, seed);
    std::vector<int> kinds;
    for (int i = 0; i < 200; ++i) {
      FaultDecision d = plan.DrawForPlaceOrder();
      kinds.push_back(static_cast<int>(d.kind) * 2 + d.phpxml);
    }
    return kinds;
  };
  EXPECT_EQ(draw(7), draw(7));
  EXPECT_NE(draw(7), draw(8));
}

}  // namespace
}  // namespace imeiflow::sim
