#include "upstream/dhru/classify.h"

#include <gtest/gtest.h>

namespace imeiflow::upstream::dhru {
namespace {

constexpr char kImei[] = "356789012345675";

PlaceAnswer Refused(std::string message) {
  PlaceAnswer a;
  a.error = SupplierError{std::move(message)};
  return a;
}

TEST(DhruClassify, AnOrderWithItsReferenceId) {
  PlaceAnswer a;
  a.reference_id = "2323";
  PlaceOrderResult r = MapPlaceAnswer(kImei, a, 200);
  EXPECT_EQ(r.verdict.call_class, CallClass::kApplied);
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].kind, ImeiOutcomeKind::kOrdered);
  EXPECT_EQ(r.outcomes[0].order_id, "2323");
  EXPECT_EQ(r.outcomes[0].imei, kImei);
}

TEST(DhruClassify, ASuccessWithoutReferenceIdMayHaveBeenApplied) {
  PlaceOrderResult r = MapPlaceAnswer(kImei, PlaceAnswer{}, 200);
  EXPECT_EQ(r.verdict.call_class, CallClass::kUnknown);
  EXPECT_TRUE(r.outcomes.empty());
}

TEST(DhruClassify, AccountAndCreditRefusalsAreFatal) {
  for (const char* message :
       {"Authentication Failed", "Invalid User!", "Invalid API access key or username"}) {
    PlaceOrderResult r = MapPlaceAnswer(kImei, Refused(message), 200);
    EXPECT_EQ(r.verdict.call_class, CallClass::kFatal) << message;
    EXPECT_FALSE(r.verdict.out_of_credit) << message;
  }
  for (const char* message : {"Not enough credits", "Insufficient balance"}) {
    PlaceOrderResult r = MapPlaceAnswer(kImei, Refused(message), 403);
    EXPECT_EQ(r.verdict.call_class, CallClass::kFatal) << message;
    EXPECT_TRUE(r.verdict.out_of_credit) << message;
    EXPECT_EQ(r.verdict.http_status, 403);
    EXPECT_TRUE(r.outcomes.empty());
  }
}

TEST(DhruClassify, OtherRefusalsRejectOrRecogniseADuplicate) {
  PlaceOrderResult dup = MapPlaceAnswer(kImei, Refused("IMEI already exists"), 200);
  EXPECT_EQ(dup.verdict.call_class, CallClass::kApplied);
  ASSERT_EQ(dup.outcomes.size(), 1u);
  EXPECT_EQ(dup.outcomes[0].kind, ImeiOutcomeKind::kDuplicate);
  PlaceOrderResult bad = MapPlaceAnswer(kImei, Refused("Missing required field: MODELID"), 200);
  ASSERT_EQ(bad.outcomes.size(), 1u);
  EXPECT_EQ(bad.outcomes[0].kind, ImeiOutcomeKind::kRejected);
  EXPECT_EQ(bad.outcomes[0].message, "Missing required field: MODELID");
  EXPECT_TRUE(IsInvalidAction("Invalid Action"));
  EXPECT_FALSE(IsInvalidAction("Invalid service ID"));
}

}  // namespace
}  // namespace imeiflow::upstream::dhru
