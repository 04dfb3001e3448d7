#include "engine/dispatcher.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <deque>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "engine/test_provider.h"
#include "store/job_repository.h"
#include "store/review_repository.h"
#include "store/test_database.h"

namespace imeiflow::engine {
namespace {

using upstream::CallClass;
using upstream::ImeiOutcome;
using upstream::ImeiOutcomeKind;
using upstream::PlaceOrderRequest;
using upstream::PlaceOrderResult;

// A supplier whose every call is answered by `answer` on the next Pump(); it
// keeps a ledger of what it charged.
class FakeProvider : public TestProvider {
 public:
  std::function<PlaceOrderResult(const PlaceOrderRequest&)> answer;

  void Pump(std::chrono::milliseconds) override {
    peak_ = std::max(peak_, static_cast<int>(pending_.size()));
    std::deque<Pending> now;
    now.swap(pending_);
    for (Pending& p : now) p.done(answer(p.request));
  }
  int peak() const { return peak_; }
  std::map<std::string, int> charged;  // IMEI -> times charged

  // Orders every IMEI (charging it), refusing IMEIs it already holds.
  PlaceOrderResult OrderAll(const PlaceOrderRequest& r) {
    PlaceOrderResult result;
    result.verdict.call_class = CallClass::kApplied;
    result.verdict.http_status = 200;
    for (const std::string& imei : r.imeis) {
      ImeiOutcome o;
      o.imei = imei;
      if (charged[imei] > 0) {
        o.kind = ImeiOutcomeKind::kDuplicate;
      } else {
        ++charged[imei];
        o.kind = ImeiOutcomeKind::kOrdered;
        o.order_id = fmt::format("{}", ++next_order_);
      }
      result.outcomes.push_back(o);
    }
    return result;
  }

 private:
  int peak_ = 0;
  int next_order_ = 1000;
};

PlaceOrderResult Failed(CallClass call_class, int http_status, std::string message) {
  PlaceOrderResult r;
  r.verdict.call_class = call_class;
  r.verdict.http_status = http_status;
  r.verdict.message = std::move(message);
  return r;
}

class DispatcherTest : public store::TestDatabase {
 protected:
  int64_t AddJob(int n, int batch_size = 1, int64_t cents = 8) {
    store::NewJob job;
    job.service_id = "1739";
    job.price = Money::FromCents(cents);
    job.batch_size = batch_size;
    std::vector<store::NewItem> items;
    for (int i = 0; i < n; ++i) {
      std::string imei = fmt::format("35{:013}", next_imei_++);
      items.push_back({i + 1, imei, imei, true, ""});
    }
    return *store::JobRepository(*db_).Create(job, items, clock_.NowMs());
  }
  int64_t Count(const std::string& state) {
    return std::stoll(Query("SELECT count(*) FROM items WHERE state = '" + state + "'"));
  }
  // Runs until idle, moving the fake clock so backoffs expire.
  Status RunToIdle(Dispatcher& d) {
    for (int i = 0; i < 10000; ++i) {
      if (Status s = d.Step(0); !s.ok()) return s;
      if (d.stats().in_flight == 0 && Count("queued") == 0) return Status::Ok();
      clock_.Advance(1000);
    }
    return Status::Internal("did not become idle");
  }
  DispatchOptions Options() {
    DispatchOptions o;
    o.seed = 1;
    o.max_in_flight = 16;
    return o;
  }

  FakeClock clock_;
  FakeProvider provider_;
  int next_imei_ = 1;
};

TEST_F(DispatcherTest, OrdersEveryImeiOnceAndRecordsOrdersAndSpending) {
  AddJob(100);
  provider_.answer = [&](const PlaceOrderRequest& r) { return provider_.OrderAll(r); };
  Dispatcher d(*db_, provider_, clock_, Options());
  ASSERT_TRUE(d.Recover().ok());
  ASSERT_TRUE(RunToIdle(d).ok());
  EXPECT_EQ(Count("accepted"), 100);
  EXPECT_EQ(provider_.charged.size(), 100u);
  EXPECT_EQ(Query("SELECT count(*) FROM orders WHERE upstream_id IS NOT NULL"), "100");
  EXPECT_EQ(Query("SELECT sum(cents) FROM spending"), "800");
  EXPECT_EQ(Query("SELECT count(*) FROM calls WHERE outcome = 'applied'"), "100");
  // Slow start reached the maximum; the limit was never exceeded.
  EXPECT_EQ(provider_.peak(), 16);
  EXPECT_EQ(d.stats().limit, 16);
}

TEST_F(DispatcherTest, ASupplierDroppingBatchImeisIsSwitchedToSingleCalls) {
  AddJob(50, /*batch_size=*/10);
  // Like the live supplier: only the last IMEI of a call is ordered.
  provider_.answer = [&](const PlaceOrderRequest& r) {
    PlaceOrderRequest last;
    last.imeis = {r.imeis.back()};
    return provider_.OrderAll(last);
  };
  Dispatcher d(*db_, provider_, clock_, Options());
  ASSERT_TRUE(d.Recover().ok());
  ASSERT_TRUE(RunToIdle(d).ok());
  EXPECT_EQ(Count("accepted"), 50);
  for (const auto& [imei, n] : provider_.charged) EXPECT_EQ(n, 1) << imei;
  EXPECT_EQ(provider_.charged.size(), 50u);
  EXPECT_TRUE(d.stats().one_imei_per_call);
  EXPECT_NE(Query("SELECT value FROM settings WHERE key = 'upstream.one_imei_per_call'")
                .find("left some out"),
            std::string::npos);
  // The mode survives a restart.
  Dispatcher again(*db_, provider_, clock_, Options());
  ASSERT_TRUE(again.Recover().ok());
  EXPECT_TRUE(again.stats().one_imei_per_call);
}

TEST_F(DispatcherTest, NotAppliedCallsBackOffHonourRetryAfterAndSpendTheBudget) {
  AddJob(1);
  provider_.answer = [&](const PlaceOrderRequest&) {
    PlaceOrderResult r = Failed(CallClass::kNotApplied, 503, "HTTP 503");
    r.verdict.retry_after = std::chrono::seconds(120);
    return r;
  };
  DispatchOptions options = Options();
  options.policy.retry_budget = 3;
  Dispatcher d(*db_, provider_, clock_, options);
  ASSERT_TRUE(d.Recover().ok());
  int64_t start = clock_.NowMs();
  ASSERT_TRUE(d.Step(0).ok());
  EXPECT_EQ(Count("queued"), 1);
  EXPECT_GE(std::stoll(Query("SELECT not_before FROM items")), start + 120000);
  ASSERT_TRUE(d.Step(0).ok());  // not yet due: nothing sent
  EXPECT_EQ(provider_.calls(), 1);
  ASSERT_TRUE(RunToIdle(d).ok());
  EXPECT_EQ(provider_.calls(), 3);
  EXPECT_EQ(Count("failed"), 1);
  EXPECT_NE(Query("SELECT reason FROM items").find("gave up after 3 calls"), std::string::npos);
  EXPECT_EQ(d.stats().limit, 1);  // halved on each fresh congestion signal
}

TEST_F(DispatcherTest, UnknownCallsAreResentWhenTheSupplierRefusesDuplicates) {
  AddJob(20);
  int cut = 0;
  // Every third call is applied, then the connection is cut.
  provider_.answer = [&](const PlaceOrderRequest& r) {
    PlaceOrderResult result = provider_.OrderAll(r);
    if (++cut % 3 == 0) result = Failed(CallClass::kUnknown, 0, "connection reset after sending");
    return result;
  };
  Dispatcher d(*db_, provider_, clock_, Options());
  ASSERT_TRUE(d.Recover().ok());
  ASSERT_TRUE(RunToIdle(d).ok());
  for (const auto& [imei, n] : provider_.charged) EXPECT_EQ(n, 1) << imei;
  EXPECT_EQ(provider_.charged.size(), 20u);
  EXPECT_EQ(Count("uncertain"), 0);
  EXPECT_EQ(Count("accepted") + Count("accepted_unconfirmed"), 20);
  EXPECT_GT(Count("accepted_unconfirmed"), 0);
  EXPECT_EQ(Query("SELECT sum(cents) FROM spending"), "160");
}

TEST_F(DispatcherTest, UnknownCallsWaitForReviewWhenDuplicatesMayBeCharged) {
  AddJob(10);
  int cut = 0;
  provider_.answer = [&](const PlaceOrderRequest& r) {
    PlaceOrderResult result = provider_.OrderAll(r);
    if (++cut % 5 == 0) result = Failed(CallClass::kUnknown, 500, "HTTP 500");
    return result;
  };
  DispatchOptions options = Options();
  options.policy.refuses_duplicates = false;
  Dispatcher d(*db_, provider_, clock_, options);
  ASSERT_TRUE(d.Recover().ok());
  ASSERT_TRUE(RunToIdle(d).ok());
  EXPECT_EQ(Count("uncertain"), 2);
  EXPECT_EQ(Count("accepted"), 8);
  EXPECT_EQ(provider_.calls(), 10);  // never resent on its own
  EXPECT_EQ(store::ReviewRepository(*db_).List(10)->size(), 2u);
}

TEST_F(DispatcherTest, RefusedCredentialsStopDispatchWithoutSpendingTheBudget) {
  AddJob(5);
  provider_.answer = [&](const PlaceOrderRequest&) {
    return Failed(CallClass::kFatal, 200, "Invalid API Key!");
  };
  Dispatcher d(*db_, provider_, clock_, Options());
  ASSERT_TRUE(d.Recover().ok());
  std::atomic<bool> stop{false};
  Status s = d.Run(stop, /*until_idle=*/true);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("Invalid API Key!"), std::string::npos);
  EXPECT_EQ(Count("queued"), 5);
  EXPECT_LE(provider_.calls(), 4);  // only the first round went out
}

TEST_F(DispatcherTest, TheDailyCapPausesDispatchAndNothingBeyondItIsCharged) {
  AddJob(30, 1, /*cents=*/100);
  provider_.answer = [&](const PlaceOrderRequest& r) { return provider_.OrderAll(r); };
  DispatchOptions options = Options();
  options.daily_cap = Money::FromCents(1250);
  Dispatcher d(*db_, provider_, clock_, options);
  ASSERT_TRUE(d.Recover().ok());
  std::atomic<bool> stop{false};
  Status s = d.Run(stop, /*until_idle=*/true);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("daily spending cap of $12.50 reached"), std::string::npos)
      << s.message();
  EXPECT_EQ(provider_.charged.size(), 12u);
  EXPECT_EQ(Count("accepted"), 12);
  EXPECT_EQ(Count("queued"), 18);
}

TEST_F(DispatcherTest, RecoveryMakesCallsLeftInFlightUncertainThenResolvesThem) {
  AddJob(6);
  // A first process claims and sends, then dies before any answer is recorded.
  {
    store::DispatchRepository repo(*db_);
    store::ClaimLimits limits;
    limits.max_calls = 4;
    limits.now_ms = clock_.NowMs();
    Result<store::ClaimResult> claim = repo.Claim(limits);
    ASSERT_TRUE(claim.ok());
    for (const store::CallIntent& c : claim.value().calls) {
      provider_.charged[c.items[0].imei] = 1;  // the supplier did apply them
    }
  }
  provider_.answer = [&](const PlaceOrderRequest& r) { return provider_.OrderAll(r); };
  Dispatcher d(*db_, provider_, clock_, Options());
  ASSERT_TRUE(d.Recover().ok());
  EXPECT_EQ(Query("SELECT count(*) FROM calls WHERE outcome = 'unknown'"), "4");
  ASSERT_TRUE(RunToIdle(d).ok());
  for (const auto& [imei, n] : provider_.charged) EXPECT_EQ(n, 1) << imei;
  EXPECT_EQ(Count("accepted_unconfirmed"), 4);
  EXPECT_EQ(Count("accepted"), 2);
}

TEST_F(DispatcherTest, AStopLetsCallsInFlightFinish) {
  AddJob(10);
  provider_.answer = [&](const PlaceOrderRequest& r) { return provider_.OrderAll(r); };
  Dispatcher d(*db_, provider_, clock_, Options());
  ASSERT_TRUE(d.Recover().ok());
  std::atomic<bool> stop{true};
  ASSERT_TRUE(d.Run(stop, false).ok());
  EXPECT_EQ(provider_.calls(), 0);  // stopped before sending anything
  EXPECT_EQ(Count("queued"), 10);
}

}  // namespace
}  // namespace imeiflow::engine

namespace imeiflow::engine {
namespace {

TEST_F(DispatcherTest, LogsEachJobsStartAndEnd) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  auto capture = std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  capture->set_level(spdlog::level::info);
  spdlog::set_default_logger(capture);
  int64_t first = AddJob(3);
  int64_t second = AddJob(2);
  provider_.answer = [&](const PlaceOrderRequest& r) { return provider_.OrderAll(r); };
  Dispatcher d(*db_, provider_, clock_, Options());
  Status recovered = d.Recover();
  Status ran = RunToIdle(d);
  spdlog::set_default_logger(previous);
  ASSERT_TRUE(recovered.ok());
  ASSERT_TRUE(ran.ok());
  std::string text = log.str();
  EXPECT_NE(text.find(fmt::format("job {}: dispatch started", first)), std::string::npos) << text;
  EXPECT_NE(text.find(fmt::format("job {}: nothing left to send: accepted 3", first)),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(fmt::format("job {}: nothing left to send: accepted 2", second)),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("call 1: 1 IMEI(s), applied"), std::string::npos) << text;
}

}  // namespace
}  // namespace imeiflow::engine
