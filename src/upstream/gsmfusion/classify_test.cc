#include "upstream/gsmfusion/classify.h"

#include <gtest/gtest.h>

namespace imeiflow::upstream::gsmfusion {
namespace {

TEST(AccountErrors, CredentialsAndCreditButNotImeis) {
  EXPECT_TRUE(IsAccountError("Invalid User!"));
  EXPECT_TRUE(IsAccountError("Invalid API Key!"));
  EXPECT_TRUE(IsAccountError("Your account is blocked"));
  EXPECT_TRUE(IsAccountError("Insufficient credits"));
  EXPECT_FALSE(IsAccountError("IMEI already exists!"));
  EXPECT_FALSE(IsAccountError("Invalid IMEI"));
  EXPECT_FALSE(IsAccountError("IMEI is blocked"));
  EXPECT_TRUE(IsDuplicateError("IMEI already exists!"));
  EXPECT_FALSE(IsDuplicateError("Invalid IMEI"));
}

const std::vector<std::string> kBatch = {"356789012345675", "356789012345683", "356789012345691"};

TEST(MapPlaceOrder, EveryImeiGetsItsOutcomeInOrder) {
  PlaceOrderAnswer a;
  a.orders = {{"11", kBatch[2], OrderStatus::kPending, ""},
              {"10", kBatch[0], OrderStatus::kCompleted, ""}};
  a.duplicates = {kBatch[1]};
  PlaceOrderResult r = MapPlaceOrderAnswer(kBatch, a, 200);
  EXPECT_EQ(r.verdict.call_class, CallClass::kApplied);
  ASSERT_EQ(r.outcomes.size(), 3u);
  EXPECT_EQ(r.outcomes[0].imei, kBatch[0]);
  EXPECT_EQ(r.outcomes[0].kind, ImeiOutcomeKind::kOrdered);
  EXPECT_EQ(r.outcomes[0].order_id, "10");
  EXPECT_EQ(r.outcomes[0].status, OrderStatus::kCompleted);
  EXPECT_EQ(r.outcomes[1].kind, ImeiOutcomeKind::kDuplicate);
  EXPECT_EQ(r.outcomes[2].order_id, "11");
  EXPECT_TRUE(r.verdict.warnings.empty());
}

TEST(MapPlaceOrder, BatchDroppingImeisLeavesThemNotMentioned) {
  PlaceOrderAnswer a;
  a.orders = {{"99", kBatch[2], OrderStatus::kPending, ""}};
  PlaceOrderResult r = MapPlaceOrderAnswer(kBatch, a, 200);
  EXPECT_EQ(r.verdict.call_class, CallClass::kApplied);
  EXPECT_EQ(r.outcomes[0].kind, ImeiOutcomeKind::kNotMentioned);
  EXPECT_EQ(r.outcomes[1].kind, ImeiOutcomeKind::kNotMentioned);
  EXPECT_EQ(r.outcomes[2].kind, ImeiOutcomeKind::kOrdered);
}

TEST(MapPlaceOrder, ImeiNotSentIsIgnoredWithWarning) {
  PlaceOrderAnswer a;
  a.orders = {{"5", "111111111111111", OrderStatus::kPending, ""}};
  a.duplicates = {"222222222222222"};
  PlaceOrderResult r = MapPlaceOrderAnswer({kBatch[0]}, a, 200);
  EXPECT_EQ(r.verdict.call_class, CallClass::kApplied);
  EXPECT_EQ(r.outcomes[0].kind, ImeiOutcomeKind::kNotMentioned);
  EXPECT_EQ(r.verdict.warnings.size(), 2u);
}

TEST(MapPlaceOrder, SingleImeiErrors) {
  PlaceOrderAnswer dup;
  dup.error = "IMEI already exists!";
  PlaceOrderResult r = MapPlaceOrderAnswer({kBatch[0]}, dup, 200);
  EXPECT_EQ(r.verdict.call_class, CallClass::kApplied);
  EXPECT_EQ(r.outcomes[0].kind, ImeiOutcomeKind::kDuplicate);

  PlaceOrderAnswer bad;
  bad.error = "Invalid IMEI!";
  r = MapPlaceOrderAnswer({kBatch[0]}, bad, 200);
  EXPECT_EQ(r.outcomes[0].kind, ImeiOutcomeKind::kRejected);
  EXPECT_EQ(r.outcomes[0].message, "Invalid IMEI!");
}

TEST(MapPlaceOrder, BatchErrorNamesNoImeiSoAllGoAgain) {
  PlaceOrderAnswer a;
  a.error = "IMEI already exists!";
  PlaceOrderResult r = MapPlaceOrderAnswer(kBatch, a, 200);
  EXPECT_EQ(r.verdict.call_class, CallClass::kApplied);
  for (const auto& o : r.outcomes) EXPECT_EQ(o.kind, ImeiOutcomeKind::kNotMentioned);
  EXPECT_EQ(r.verdict.warnings.size(), 1u);
}

TEST(MapPlaceOrder, CredentialErrorIsFatal) {
  PlaceOrderAnswer a;
  a.error = "Invalid User!";
  PlaceOrderResult r = MapPlaceOrderAnswer(kBatch, a, 200);
  EXPECT_EQ(r.verdict.call_class, CallClass::kFatal);
  EXPECT_EQ(r.verdict.message, "supplier refused the credentials: Invalid User!");
  EXPECT_TRUE(r.outcomes.empty());
}

TEST(MapPlaceOrder, OrderWithoutImeiInBatchIsUnknown) {
  PlaceOrderAnswer a;
  a.orders = {{"77", "", OrderStatus::kPending, ""}};
  EXPECT_EQ(MapPlaceOrderAnswer(kBatch, a, 200).verdict.call_class, CallClass::kUnknown);
  PlaceOrderResult single = MapPlaceOrderAnswer({kBatch[0]}, a, 200);
  EXPECT_EQ(single.verdict.call_class, CallClass::kApplied);
  EXPECT_EQ(single.outcomes[0].order_id, "77");
}

TEST(MapPlaceOrder, PerImeiErrorEntries) {
  PlaceOrderAnswer a;
  a.orders = {{"", kBatch[0], OrderStatus::kUnrecognised, "Invalid IMEI"},
              {"", kBatch[1], OrderStatus::kUnrecognised, "IMEI already exists!"}};
  PlaceOrderResult r = MapPlaceOrderAnswer(kBatch, a, 200);
  EXPECT_EQ(r.outcomes[0].kind, ImeiOutcomeKind::kRejected);
  EXPECT_EQ(r.outcomes[1].kind, ImeiOutcomeKind::kDuplicate);
  EXPECT_EQ(r.outcomes[2].kind, ImeiOutcomeKind::kNotMentioned);
}

}  // namespace
}  // namespace imeiflow::upstream::gsmfusion
