// The GSM Fusion client over a fake Transport: requests sent, answers
// classified. Real HTTP is covered by tests/integration/gsmfusion_client_test.cc.
#include "upstream/gsmfusion/client.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "upstream/gsmfusion/answer.h"

namespace imeiflow::upstream::gsmfusion {
namespace {

// Answers each request with the next scripted response, on the next Pump().
class FakeTransport : public Transport {
 public:
  void Start(HttpRequest request, HttpCompletion done) override {
    requests.push_back(request);
    pending_.push_back(std::move(done));
  }
  void Pump(std::chrono::milliseconds) override {
    while (!pending_.empty() && !script.empty()) {
      HttpCompletion done = std::move(pending_.front());
      pending_.pop_front();
      HttpResponse r = std::move(script.front());
      script.pop_front();
      done(std::move(r));
    }
  }
  size_t InFlight() const override { return pending_.size(); }

  std::vector<HttpRequest> requests;
  std::deque<HttpResponse> script;

 private:
  std::deque<HttpCompletion> pending_;
};

HttpResponse Ok(std::string body) {
  HttpResponse r;
  r.status = 200;
  r.body = std::move(body);
  r.request_may_have_reached_server = true;
  return r;
}

constexpr const char* kKey = "SECR-ETKE-Y123-4567-89AB";

class ClientTest : public ::testing::Test {
 protected:
  FakeTransport transport;
  FakeClock clock;
  Client client{Settings{"https://s.example/", "alice", kKey}, transport, clock};
};

std::string Field(const HttpRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.form) {
    if (n == name) return v;
  }
  return "<absent>";
}

TEST_F(ClientTest, PlaceOrderSendsFormAndMapsOutcomes) {
  transport.script.push_back(
      Ok("<?phpxml version=\"1.0\"?><result><imeis><id>501</id><imei>356789012345675</imei>"
         "<status>1</status></imeis><imeiduplicates><imei>356789012345683</imei></imeiduplicates>"
         "</result>"));
  PlaceOrderRequest req{"1739", {"356789012345675", "356789012345683", "356789012345691"}, {}};
  req.fields = {{"pin", "1234"}};
  PlaceOrderResult r = client.PlaceOrderBlocking(req);
  ASSERT_EQ(transport.requests.size(), 1u);
  const HttpRequest& sent = transport.requests[0];
  EXPECT_EQ(sent.url, "https://s.example/gsmfusion_api/index.php");
  EXPECT_EQ(Field(sent, "action"), "placeorder");
  EXPECT_EQ(Field(sent, "apiKey"), kKey);
  EXPECT_EQ(Field(sent, "userId"), "alice");
  EXPECT_EQ(Field(sent, "imei"), "356789012345675,356789012345683,356789012345691");
  EXPECT_EQ(Field(sent, "networkId"), "1739");
  EXPECT_EQ(Field(sent, "pin"), "1234");
  EXPECT_EQ(Field(sent, "modelNo"), "<absent>");

  EXPECT_EQ(r.verdict.call_class, CallClass::kApplied);
  ASSERT_EQ(r.outcomes.size(), 3u);
  EXPECT_EQ(r.outcomes[0].kind, ImeiOutcomeKind::kOrdered);
  EXPECT_EQ(r.outcomes[0].order_id, "501");
  EXPECT_EQ(r.outcomes[1].kind, ImeiOutcomeKind::kDuplicate);
  EXPECT_EQ(r.outcomes[2].kind, ImeiOutcomeKind::kNotMentioned);
}

TEST_F(ClientTest, UnreadablePlaceAnswersAreUnknown) {
  for (const char* body : {"", "<result><imeis><id>5", "<html><title>Error</title></html>"}) {
    transport.script.push_back(Ok(body));
    PlaceOrderResult r = client.PlaceOrderBlocking({"1", {"356789012345675"}, {}});
    EXPECT_EQ(r.verdict.call_class, CallClass::kUnknown) << body;
    EXPECT_TRUE(r.outcomes.empty());
    EXPECT_NE(r.verdict.message.find("unreadable answer"), std::string::npos);
  }
}

TEST_F(ClientTest, TransportFailuresKeepTheirClass) {
  HttpResponse refused;
  refused.error = TransportError::kCannotConnect;
  refused.error_message = "Connection refused";
  transport.script.push_back(refused);
  EXPECT_EQ(client.PlaceOrderBlocking({"1", {"356789012345675"}, {}}).verdict.call_class,
            CallClass::kNotApplied);

  HttpResponse reset;
  reset.error = TransportError::kRewindRefused;
  reset.request_may_have_reached_server = true;
  transport.script.push_back(reset);
  EXPECT_EQ(client.PlaceOrderBlocking({"1", {"356789012345675"}, {}}).verdict.call_class,
            CallClass::kUnknown);

  HttpResponse busy = Ok("");
  busy.status = 429;
  busy.retry_after = "3";
  transport.script.push_back(busy);
  PlaceOrderResult r = client.PlaceOrderBlocking({"1", {"356789012345675"}, {}});
  EXPECT_EQ(r.verdict.call_class, CallClass::kNotApplied);
  EXPECT_EQ(r.verdict.retry_after->count(), 3);
}

TEST_F(ClientTest, ServicesAndBadCredentials) {
  transport.script.push_back(
      Ok("<Packages><Package><PackageId>1739</PackageId>"
         "<PackagePrice>0.08</PackagePrice></Package></Packages>"));
  ServicesResult s = client.ListServicesBlocking();
  EXPECT_EQ(s.verdict.call_class, CallClass::kApplied);
  ASSERT_EQ(s.services.size(), 1u);
  EXPECT_EQ(Field(transport.requests.back(), "action"), "imeiservices");

  transport.script.push_back(Ok("<error>Invalid API Key!</error>"));
  CallVerdict v = client.ProbeBlocking();
  EXPECT_EQ(v.call_class, CallClass::kFatal);
  EXPECT_EQ(v.message, "supplier refused the credentials: Invalid API Key!");
}

TEST_F(ClientTest, FetchOrdersJoinsIds) {
  transport.script.push_back(
      Ok("<result><imeis><id>7</id><imei>356789012345675</imei>"
         "<status>Completed</status><code>Carrier: Unlocked</code></imeis></result>"));
  OrdersResult r = client.FetchOrdersBlocking({"7", "8"});
  EXPECT_EQ(Field(transport.requests.back(), "orderIds"), "7,8");
  EXPECT_EQ(Field(transport.requests.back(), "action"), "getimeis");
  EXPECT_EQ(r.verdict.call_class, CallClass::kApplied);
  ASSERT_EQ(r.orders.size(), 1u);
  EXPECT_EQ(r.orders[0].status, OrderStatus::kCompleted);
  EXPECT_EQ(r.orders[0].code, "Carrier: Unlocked");
}

TEST_F(ClientTest, KeyEchoedBySupplierIsMasked) {
  transport.script.push_back(Ok(std::string("<error>Invalid API Key! (") + kKey + ")</error>"));
  CallVerdict v = client.ProbeBlocking();
  EXPECT_EQ(v.message.find(kKey), std::string::npos);
  EXPECT_NE(v.message.find("***"), std::string::npos);
}

TEST_F(ClientTest, ManyCallsInFlightCompleteIndependently) {
  int applied = 0;
  for (int i = 0; i < 5; ++i) {
    client.PlaceOrder(
        {"1", {"35678901234567" + std::to_string(i)}, {}},
        [&applied](PlaceOrderResult r) { applied += r.verdict.call_class == CallClass::kApplied; });
  }
  EXPECT_EQ(client.InFlight(), 5u);
  for (int i = 0; i < 5; ++i) {
    transport.script.push_back(Ok("<result><imeis><id>" + std::to_string(i) +
                                  "</id><imei>35678901234567" + std::to_string(i) +
                                  "</imei></imeis></result>"));
  }
  client.Pump(std::chrono::milliseconds(0));
  EXPECT_EQ(applied, 5);
  EXPECT_EQ(client.InFlight(), 0u);
}

TEST_F(ClientTest, RetryAfterDatesAreReadAgainstTheClock) {
  clock.Set(1'795'910'400'000);  // Sun, 29 Nov 2026 00:00:00 GMT
  HttpResponse busy = Ok("");
  busy.status = 503;
  busy.retry_after = "Sun, 29 Nov 2026 00:01:30 GMT";
  transport.script.push_back(busy);
  PlaceOrderResult r = client.PlaceOrderBlocking({"1", {"356789012345675"}, {}});
  EXPECT_EQ(r.verdict.call_class, CallClass::kNotApplied);
  ASSERT_TRUE(r.verdict.retry_after);
  EXPECT_EQ(r.verdict.retry_after->count(), 90);
}

// Attack-run row 23: a password in upstream.url reached error messages.
TEST(ClientSecrets, PasswordInTheUrlNeverReachesMessages) {
  FakeTransport transport;
  FakeClock clock;
  Client client{Settings{"http://shop:S3cretPassw0rd@s.example", "alice", kKey}, transport, clock};
  HttpResponse refused;
  refused.error = TransportError::kCannotConnect;
  refused.error_message = "could not reach shop:S3cretPassw0rd@s.example";
  transport.script.push_back(refused);
  HttpResponse failed = Ok("");
  failed.status = 502;
  transport.script.push_back(failed);

  CallVerdict v = client.ProbeBlocking();
  PlaceOrderResult r = client.PlaceOrderBlocking({"1", {"356789012345675"}, {}});

  EXPECT_EQ(transport.requests[0].url,
            "http://shop:S3cretPassw0rd@s.example/gsmfusion_api/index.php");
  EXPECT_EQ(v.call_class, CallClass::kNotApplied);
  EXPECT_EQ(v.message.find("S3cretPassw0rd"), std::string::npos) << v.message;
  EXPECT_NE(v.message.find("cannot reach http://***@s.example/gsmfusion_api/index.php"),
            std::string::npos)
      << v.message;
  EXPECT_EQ(r.verdict.call_class, CallClass::kUnknown);
  EXPECT_EQ(r.verdict.message.find("S3cretPassw0rd"), std::string::npos) << r.verdict.message;
  EXPECT_NE(r.verdict.message.find("http://***@s.example"), std::string::npos) << r.verdict.message;
}

// Attack-run row 24: an oversized service title was accepted (and cached).
TEST_F(ClientTest, OversizedServiceTitleRefusesTheList) {
  transport.script.push_back(
      Ok("<Packages><Package><PackageId>1739</PackageId><PackagePrice>0.08</PackagePrice>"
         "<PackageTitle>" +
         std::string(kMaxServiceFieldChars + 1, 'T') + "</PackageTitle></Package></Packages>"));
  ServicesResult s = client.ListServicesBlocking();
  EXPECT_NE(s.verdict.call_class, CallClass::kApplied);
  EXPECT_TRUE(s.services.empty());
  EXPECT_NE(s.verdict.message.find("package 1739: PackageTitle is 1001 characters long"),
            std::string::npos)
      << s.verdict.message;
}

}  // namespace
}  // namespace imeiflow::upstream::gsmfusion
