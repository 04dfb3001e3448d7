// The protocol-neutral verdicts of an HTTP exchange.
#include "upstream/exchange_outcome.h"

#include <gtest/gtest.h>

namespace imeiflow::upstream {
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

TEST(ClassifyExchange, OkStatusMeansParseTheBody) {
  EXPECT_FALSE(ClassifyExchange(Http(200), kUrl, 0));
}

TEST(ClassifyExchange, NothingSentIsNotApplied) {
  auto v = ClassifyExchange(Failed(TransportError::kCannotConnect, false, "Connection refused"),
                            kUrl, 0);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->call_class, CallClass::kNotApplied);
  EXPECT_EQ(v->message, std::string("cannot reach ") + std::string(kUrl) + ": Connection refused");
  auto t = ClassifyExchange(Failed(TransportError::kTimedOut, false), kUrl, 0);
  EXPECT_EQ(t->call_class, CallClass::kNotApplied);
}

TEST(ClassifyExchange, AnythingAfterSendingIsUnknown) {
  for (TransportError e :
       {TransportError::kTimedOut, TransportError::kConnectionLost, TransportError::kRewindRefused,
        TransportError::kBadAnswer, TransportError::kTooLarge, TransportError::kOther}) {
    auto v = ClassifyExchange(Failed(e, true), kUrl, 0);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->call_class, CallClass::kUnknown) << TransportErrorName(e);
    EXPECT_NE(v->message.find("may have acted"), std::string::npos);
  }
}

TEST(ClassifyExchange, BusyAnswersAreNotAppliedWithRetryAfter) {
  HttpResponse r = Http(429);
  r.retry_after = "7";
  auto v = ClassifyExchange(r, kUrl, 0);
  EXPECT_EQ(v->call_class, CallClass::kNotApplied);
  ASSERT_TRUE(v->retry_after);
  EXPECT_EQ(v->retry_after->count(), 7);
  EXPECT_EQ(v->http_status, 429);

  HttpResponse u = Http(503);
  u.retry_after = "Thu, 01 Jan 1970 00:01:40 GMT";
  auto w = ClassifyExchange(u, kUrl, 40);
  EXPECT_EQ(w->call_class, CallClass::kNotApplied);
  ASSERT_TRUE(w->retry_after);
  EXPECT_EQ(w->retry_after->count(), 60);
}

TEST(ClassifyExchange, ServerErrorsOtherThan503AreUnknown) {
  for (int s : {500, 502, 504, 520}) {
    EXPECT_EQ(ClassifyExchange(Http(s), kUrl, 0)->call_class, CallClass::kUnknown) << s;
  }
}

TEST(ClassifyExchange, RefusalsAndWrongUrlsAreFatal) {
  for (int s : {401, 403, 404, 301}) {
    EXPECT_EQ(ClassifyExchange(Http(s), kUrl, 0)->call_class, CallClass::kFatal) << s;
  }
}

// A placeorder whose answer was cut off for size may have been placed.
TEST(ClassifyExchange, TooLargeAnswerAfterSendingIsUnknown) {
  auto v = ClassifyExchange(
      Failed(TransportError::kTooLarge, true, "the supplier's answer is larger than 16 MB"), kUrl,
      0);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->call_class, CallClass::kUnknown);
  EXPECT_EQ(v->message, "answer too large to " + std::string(kUrl) +
                            " (the supplier's answer is larger than 16 MB); the supplier may have"
                            " acted on it");
}

TEST(UnreadableAnswer, MayHaveBeenActedOn) {
  CallVerdict v = UnreadableAnswer(Http(200), Status::Corrupt("empty answer (no body)"));
  EXPECT_EQ(v.call_class, CallClass::kUnknown);
  EXPECT_EQ(v.http_status, 200);
  EXPECT_EQ(
      v.message,
      "unreadable answer (HTTP 200): empty answer (no body); the supplier may have acted on it");
}

}  // namespace
}  // namespace imeiflow::upstream
