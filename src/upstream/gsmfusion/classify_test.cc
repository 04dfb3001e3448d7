#include "upstream/gsmfusion/classify.h"

#include <gtest/gtest.h>

namespace imeiflow::upstream::gsmfusion {
namespace {

constexpr std::string_view kUrl = "https://s.example/gsmfusion_api/index.php";

HttpResponse Http(int status, std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.request_may_have_reached_server = true;
  return r;
}

HttpResponse Failed(TransportError e, bool reached, std::string message = "boom") {
  HttpResponse r;
  r.error = e;
  r.request_may_have_reached_server = reached;
  r.error_message = std::move(message);
  return r;
}

TEST(ClassifyHttp, OkStatusMeansParseTheBody) { EXPECT_FALSE(ClassifyHttp(Http(200), kUrl, 0)); }

TEST(ClassifyHttp, NothingSentIsNotApplied) {
  auto v =
      ClassifyHttp(Failed(TransportError::kCannotConnect, false, "Connection refused"), kUrl, 0);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->call_class, CallClass::kNotApplied);
  EXPECT_EQ(v->message, std::string("cannot reach ") + std::string(kUrl) + ": Connection refused");
  auto t = ClassifyHttp(Failed(TransportError::kTimedOut, false), kUrl, 0);
  EXPECT_EQ(t->call_class, CallClass::kNotApplied);
}

TEST(ClassifyHttp, AnythingAfterSendingIsUnknown) {
  for (TransportError e :
       {TransportError::kTimedOut, TransportError::kConnectionLost, TransportError::kRewindRefused,
        TransportError::kBadAnswer, TransportError::kTooLarge, TransportError::kOther}) {
    auto v = ClassifyHttp(Failed(e, true), kUrl, 0);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->call_class, CallClass::kUnknown) << TransportErrorName(e);
    EXPECT_NE(v->message.find("may have acted"), std::string::npos);
  }
}

TEST(ClassifyHttp, BusyAnswersAreNotAppliedWithRetryAfter) {
  HttpResponse r = Http(429);
  r.retry_after = "7";
  auto v = ClassifyHttp(r, kUrl, 0);
  EXPECT_EQ(v->call_class, CallClass::kNotApplied);
  ASSERT_TRUE(v->retry_after);
  EXPECT_EQ(v->retry_after->count(), 7);
  EXPECT_EQ(v->http_status, 429);

  HttpResponse u = Http(503);
  u.retry_after = "Thu, 01 Jan 1970 00:01:40 GMT";
  auto w = ClassifyHttp(u, kUrl, 40);
  EXPECT_EQ(w->call_class, CallClass::kNotApplied);
  ASSERT_TRUE(w->retry_after);
  EXPECT_EQ(w->retry_after->count(), 60);
}

TEST(ClassifyHttp, ServerErrorsOtherThan503AreUnknown) {
  for (int s : {500, 502, 504, 520}) {
    EXPECT_EQ(ClassifyHttp(Http(s), kUrl, 0)->call_class, CallClass::kUnknown) << s;
  }
}

TEST(ClassifyHttp, RefusalsAndWrongUrlsAreFatal) {
  for (int s : {401, 403, 404, 301}) {
    EXPECT_EQ(ClassifyHttp(Http(s), kUrl, 0)->call_class, CallClass::kFatal) << s;
  }
}

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
