#include "upstream/dhru/answer.h"

#include <gtest/gtest.h>

namespace imeiflow::upstream::dhru {
namespace {

TEST(DhruAnswer, AccountInfoV61TypoWithNumericCredit) {
  Result<AccountAnswer> a = ParseAccountAnswer(
      R"({"SUCCESS":[{"message":"Your Accout Info","AccoutInfo":{"credit":1000,"mail":"a@b.c","currency":"USD"}}],"apiversion":"6.1"})");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_FALSE(a->error);
  ASSERT_TRUE(a->credit);
  EXPECT_EQ(a->credit->cents(), 100000);
  EXPECT_EQ(a->credit_text, "1000");
  EXPECT_EQ(a->currency, "USD");
}

TEST(DhruAnswer, AccountInfoPrefersCreditRawOverFormattedCredit) {
  Result<AccountAnswer> a = ParseAccountAnswer(
      R"({"SUCCESS":[{"AccoutInfo":{"credit":"$16.41","creditraw":16.4,"currency":"USD"},
          "AccountInfo":{"credit":"$16.41","creditraw":16.41,"currency":"USD"}}]})");
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(a->credit);
  EXPECT_EQ(a->credit->cents(), 1641);
  EXPECT_EQ(a->credit_text, "$16.41");
  Result<AccountAnswer> formatted =
      ParseAccountAnswer(R"({"SUCCESS":[{"AccountInfo":{"credit":"$1,203.50"}}]})");
  ASSERT_TRUE(formatted.ok());
  ASSERT_TRUE(formatted->credit);
  EXPECT_EQ(formatted->credit->cents(), 120350);
}

TEST(DhruAnswer, ErrorEnvelopeKeepsTheMessage) {
  Result<PlaceAnswer> a = ParsePlaceAnswer(
      R"({"ERROR":[{"MESSAGE":"Not enough credits","FULL_DESCRIPTION":"Balance 0.10"}],"apiversion":"6.1"})");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->error);
  EXPECT_EQ(a->error->message, "Not enough credits (Balance 0.10)");
  Result<AccountAnswer> plain =
      ParseAccountAnswer(R"({"ERROR":[{"MESSAGE":"Authentication Failed"}]})");
  ASSERT_TRUE(plain.ok());
  ASSERT_TRUE(plain->error);
  EXPECT_EQ(plain->error->message, "Authentication Failed");
}

TEST(DhruAnswer, ReferenceIdAsStringOrNumber) {
  Result<PlaceAnswer> number =
      ParsePlaceAnswer(R"({"SUCCESS":[{"MESSAGE":"Order received","REFERENCEID":2323}]})");
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->reference_id, "2323");
  Result<PlaceAnswer> text = ParsePlaceAnswer(R"({"SUCCESS":{"REFERENCEID":"77"}})");
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->reference_id, "77");
}

TEST(DhruAnswer, OrderStatusAsNumberOrStringAndTheCodeVerbatim) {
  Result<OrderAnswer> done = ParseOrderAnswer(
      R"({"SUCCESS":[{"IMEI":"356789012345675","STATUS":4,"CODE":"Model: iPhone<br>Lock: Off","COMMENTS":""}]})");
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->order.status, OrderStatus::kCompleted);
  EXPECT_EQ(done->order.status_text, "4");
  EXPECT_EQ(done->order.code, "Model: iPhone<br>Lock: Off");
  EXPECT_EQ(done->order.imei, "356789012345675");
  Result<OrderAnswer> rejected =
      ParseOrderAnswer(R"({"SUCCESS":[{"STATUS":"3","CODE":"Bad IMEI"}]})");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->order.status, OrderStatus::kRejected);
  EXPECT_EQ(StatusFromDhru("0"), OrderStatus::kPending);
  EXPECT_EQ(StatusFromDhru("1"), OrderStatus::kInProcess);
  EXPECT_EQ(StatusFromDhru("2"), OrderStatus::kUnrecognised);
  EXPECT_EQ(StatusFromDhru("done"), OrderStatus::kUnrecognised);
}

TEST(DhruAnswer, NonJsonBodiesAreErrorsNotCrashes) {
  for (std::string_view body : {"", "  \n", "<html><body>406 Not Acceptable</body></html>", "[1,2]",
                                "{\"apiversion\":\"6.1\"}", "{\"SUCCESS\":[]}",
                                "{\"SUCCESS\":[{\"AccoutInfo\":5}]}", "{\"ERROR\":7}"}) {
    Result<AccountAnswer> a = ParseAccountAnswer(body);
    if (a.ok()) {
      EXPECT_TRUE(a->error) << body;  // {"ERROR":7}: a refusal without a message
    } else {
      EXPECT_FALSE(a.status().message().empty()) << body;
    }
  }
  EXPECT_EQ(ParseAccountAnswer("<html>").status().message(),
            "the answer is not a DHRU JSON object (starts \"<html>\")");
  EXPECT_EQ(ParseOrderAnswer("").status().message(), "the answer is empty");
}

}  // namespace
}  // namespace imeiflow::upstream::dhru
