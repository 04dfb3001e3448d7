// Randomised runs of the dispatcher against a misbehaving supplier, with the
// process "killed" at random moments: whatever happens, no IMEI is charged
// twice and every charged IMEI is accounted for.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <random>

#include "engine/dispatcher.h"
#include "engine/test_provider.h"
#include "store/job_repository.h"
#include "store/test_database.h"

namespace imeiflow::engine {
namespace {

using upstream::CallClass;
using upstream::ImeiOutcome;
using upstream::ImeiOutcomeKind;
using upstream::PlaceOrderRequest;
using upstream::PlaceOrderResult;

// A supplier that drops batch IMEIs, refuses calls, applies calls and then
// loses the answer, and (refuse mode) refuses IMEIs it already holds.
class ChaosSupplier : public TestProvider {
 public:
  ChaosSupplier(uint64_t seed, bool refuses_duplicates)
      : rng_(seed), refuses_duplicates_(refuses_duplicates) {}

  void Pump(std::chrono::milliseconds) override {
    // Answer a random part of what is pending, as a real supplier would.
    std::deque<Pending> keep;
    std::deque<Pending> now;
    for (Pending& p : pending_) (Chance(0.7) ? now : keep).push_back(std::move(p));
    pending_.swap(keep);
    for (Pending& p : now) p.done(Answer(p.request));
  }
  // The process dies: pending calls may or may not have been applied, and
  // their answers never arrive.
  void Crash() {
    for (Pending& p : pending_) {
      if (Chance(0.5)) Apply(p.request, nullptr);
    }
    pending_.clear();
  }
  const std::map<std::string, int>& charged() const { return charged_; }

 private:
  bool Chance(double p) { return std::uniform_real_distribution<>(0, 1)(rng_) < p; }

  void Apply(const PlaceOrderRequest& r, PlaceOrderResult* result) {
    std::vector<std::string> imeis = r.imeis;
    if (imeis.size() > 1 && Chance(0.5)) imeis = {imeis.back()};  // the live quirk
    for (const std::string& imei : imeis) {
      ImeiOutcome o;
      o.imei = imei;
      if (refuses_duplicates_ && charged_[imei] > 0) {
        o.kind = ImeiOutcomeKind::kDuplicate;
      } else {
        ++charged_[imei];
        o.kind = ImeiOutcomeKind::kOrdered;
        o.order_id = fmt::format("{}", ++orders_);
      }
      if (result) result->outcomes.push_back(o);
    }
  }

  PlaceOrderResult Answer(const PlaceOrderRequest& r) {
    PlaceOrderResult result;
    upstream::CallVerdict& v = result.verdict;
    double dice = std::uniform_real_distribution<>(0, 1)(rng_);
    if (dice < 0.10) {  // 429: nothing applied
      v.call_class = CallClass::kNotApplied;
      v.http_status = 429;
      v.message = "HTTP 429";
    } else if (dice < 0.20) {  // applied, then the connection was cut
      Apply(r, nullptr);
      v.call_class = CallClass::kUnknown;
      v.message = "connection reset";
    } else if (dice < 0.25) {  // timed out before the supplier acted
      v.call_class = CallClass::kUnknown;
      v.message = "timed out";
    } else {
      v.call_class = CallClass::kApplied;
      v.http_status = 200;
      Apply(r, &result);
    }
    return result;
  }

  std::mt19937_64 rng_;
  bool refuses_duplicates_;
  std::map<std::string, int> charged_;
  int orders_ = 0;
};

class DispatcherPropertyTest : public store::TestDatabase,
                               public ::testing::WithParamInterface<std::tuple<uint64_t, bool>> {
 protected:
  std::map<std::string, std::string> StateByImei() {
    std::map<std::string, std::string> states;
    auto rows = db_->Prepare("SELECT imei, state FROM items");
    while (*rows->Step()) states[rows->ColumnText(0)] = rows->ColumnText(1);
    return states;
  }
};

TEST_P(DispatcherPropertyTest, NoImeiChargedTwiceAndEveryChargeAccountedFor) {
  auto [seed, refuses_duplicates] = GetParam();
  store::NewJob job;
  job.service_id = "1739";
  job.price = Money::FromCents(8);
  job.batch_size = 5;
  std::vector<store::NewItem> items;
  for (int i = 0; i < 300; ++i) {
    std::string imei = fmt::format("35{:013}", i);
    items.push_back({i + 1, imei, imei, true, ""});
  }
  ASSERT_TRUE(store::JobRepository(*db_).Create(job, items, 0).ok());

  FakeClock clock;
  ChaosSupplier supplier(seed, refuses_duplicates);
  DispatchOptions options;
  options.seed = seed;
  options.max_in_flight = 8;
  options.policy.refuses_duplicates = refuses_duplicates;
  options.policy.retry_budget = 1000;
  std::mt19937_64 rng(seed);
  std::unique_ptr<Dispatcher> d;
  int crashes = 0;
  for (int step = 0; step < 20000; ++step) {
    if (!d || (crashes < 20 && std::uniform_int_distribution<>(0, 40)(rng) == 0)) {
      if (d) {
        supplier.Crash();
        ++crashes;
      }
      d = std::make_unique<Dispatcher>(*db_, supplier, clock, options);
      ASSERT_TRUE(d->Recover().ok());
    }
    ASSERT_TRUE(d->Step(0).ok());
    clock.Advance(5000);
    if (d->stats().in_flight == 0 && Query("SELECT count(*) FROM items WHERE state IN"
                                           " ('queued', 'in_flight')") == "0") {
      break;
    }
  }
  EXPECT_GT(crashes, 0);

  std::map<std::string, std::string> states = StateByImei();
  int charged_total = 0;
  for (const auto& [imei, n] : supplier.charged()) {
    EXPECT_EQ(n, 1) << imei << " charged " << n << " times";
    charged_total += n;
    const std::string& state = states[imei];
    if (refuses_duplicates) {
      EXPECT_TRUE(state == "accepted" || state == "accepted_unconfirmed") << imei << " " << state;
    } else {
      EXPECT_TRUE(state == "accepted" || state == "uncertain") << imei << " " << state;
    }
  }
  for (const auto& [imei, state] : states) {
    EXPECT_NE(state, "queued") << imei;
    EXPECT_NE(state, "in_flight") << imei;
    if (state == "accepted" || state == "accepted_unconfirmed") {
      EXPECT_EQ(supplier.charged().count(imei), 1u) << imei << " recorded but never charged";
    }
  }
  if (refuses_duplicates) {
    EXPECT_EQ(charged_total, 300);  // nothing lost, nothing left uncertain
    EXPECT_EQ(Query("SELECT sum(cents) FROM spending"), std::to_string(300 * 8));
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, DispatcherPropertyTest,
                         ::testing::Combine(::testing::Values(1u, 2u, 3u, 4u, 5u),
                                            ::testing::Bool()));

}  // namespace
}  // namespace imeiflow::engine
