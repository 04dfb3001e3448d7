#include "engine/limiter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <vector>

namespace imeiflow::engine {
namespace {

// One round trip: `limit()` calls start, then all succeed.
void RoundTrip(AdaptiveLimiter& limiter) {
  std::vector<AdaptiveLimiter::Token> tokens(static_cast<size_t>(limiter.limit()));
  for (auto& t : tokens) t = limiter.OnStart();
  for (auto t : tokens) limiter.OnSuccess(t);
}

TEST(AdaptiveLimiterTest, SlowStartDoublesEachRoundTripUpToTheMax) {
  AdaptiveLimiter limiter(4, 64);
  EXPECT_EQ(limiter.limit(), 4);
  RoundTrip(limiter);
  EXPECT_EQ(limiter.limit(), 8);
  RoundTrip(limiter);
  EXPECT_EQ(limiter.limit(), 16);
  RoundTrip(limiter);
  RoundTrip(limiter);
  EXPECT_EQ(limiter.limit(), 64);
  RoundTrip(limiter);
  EXPECT_EQ(limiter.limit(), 64);
  EXPECT_FALSE(limiter.seen_congestion());
}

TEST(AdaptiveLimiterTest, ABurstOfSignalsHalvesOnceAndSetsTheThresholdBelowWhereItCongested) {
  AdaptiveLimiter limiter(4, 64);
  RoundTrip(limiter);
  RoundTrip(limiter);
  RoundTrip(limiter);  // 32
  std::vector<AdaptiveLimiter::Token> round(32);
  for (auto& t : round) t = limiter.OnStart();
  // The supplier takes 30 at once: the 31st and 32nd calls are refused.
  limiter.OnCongestion(round[30]);
  limiter.OnCongestion(round[31]);
  EXPECT_EQ(limiter.limit(), 16);
  EXPECT_EQ(limiter.threshold(), 31);  // one below the limit they were sent at
  EXPECT_TRUE(limiter.seen_congestion());
  for (size_t i = 0; i < 30; ++i) limiter.OnSuccess(round[i]);  // slow start back
  EXPECT_EQ(limiter.limit(), 31);
  // It stays at the threshold for a few windows of successes...
  for (int i = 1; i < AdaptiveLimiter::kWindowsAtThreshold; ++i) RoundTrip(limiter);
  EXPECT_EQ(limiter.limit(), 31);
  RoundTrip(limiter);  // ... then probes above it, one per window of successes
  EXPECT_EQ(limiter.limit(), 32);
  // A fresh signal (from a call started after the decrease) halves again.
  limiter.OnCongestion(limiter.OnStart());
  EXPECT_EQ(limiter.limit(), 16);
  EXPECT_EQ(limiter.threshold(), 31);
}

TEST(AdaptiveLimiterTest, TheThresholdNeverFallsBelowNinetyPercentOfTheLimit) {
  AdaptiveLimiter limiter(4, 64);
  AdaptiveLimiter::Token early = limiter.OnStart();  // sent at a limit of 4
  RoundTrip(limiter);
  RoundTrip(limiter);
  RoundTrip(limiter);  // 32
  limiter.OnCongestion(early);
  EXPECT_EQ(limiter.limit(), 16);
  EXPECT_EQ(limiter.threshold(), 28);
}

TEST(AdaptiveLimiterTest, ProbesThatFailAtTheSameLimitComeLessOften) {
  // The dispatcher starts a round of limit() calls at a time; the supplier
  // refuses at once any call beyond 10 at a time. Count the successes
  // between two decreases. (A max of 11 keeps slow start from overshooting.)
  AdaptiveLimiter limiter(10, 11);
  std::vector<int> gaps;
  int successes = 0;
  while (gaps.size() < 10) {
    std::vector<AdaptiveLimiter::Token> round(static_cast<size_t>(limiter.limit()));
    for (auto& t : round) t = limiter.OnStart();
    for (size_t position = 1; position <= round.size(); ++position) {
      AdaptiveLimiter::Token t = round[position - 1];
      if (position <= 10) {
        limiter.OnSuccess(t);
        ++successes;
        continue;
      }
      int before = limiter.limit();
      limiter.OnCongestion(t);
      if (limiter.limit() < before) {
        gaps.push_back(successes);
        successes = 0;
      }
    }
  }
  EXPECT_EQ(limiter.threshold(), 10);
  // gaps[0] is the first slow start; then each failed probe doubles the stay.
  for (size_t i = 2; i < 5; ++i) EXPECT_GT(gaps[i], gaps[i - 1] * 3 / 2) << i;
  EXPECT_GE(gaps.back(), 10 * AdaptiveLimiter::kMaxWindowsAtThreshold);
  EXPECT_EQ(gaps.back(), gaps[gaps.size() - 2]);
}

TEST(AdaptiveLimiterTest, HoversJustUnderAFixedSupplierLimit) {
  // Event simulation: every call takes 100 ticks; the supplier answers 429 at
  // once to any call beyond 50 at a time. The dispatcher sends whenever its
  // limit allows. Measure how busy the supplier is kept.
  AdaptiveLimiter limiter(4, 64);
  std::multimap<int64_t, AdaptiveLimiter::Token> completions;  // tick -> limiter token
  int at_supplier = 0;
  int64_t busy_ticks = 0;
  int64_t refused = 0;
  const int64_t ticks = 100000;
  for (int64_t tick = 0; tick < ticks; ++tick) {
    for (auto it = completions.begin(); it != completions.end() && it->first == tick;) {
      limiter.OnSuccess(it->second);
      --at_supplier;
      it = completions.erase(it);
    }
    while (at_supplier < limiter.limit()) {
      AdaptiveLimiter::Token token = limiter.OnStart();
      if (at_supplier == 50) {  // refused at once
        limiter.OnCongestion(token);
        ++refused;
        continue;
      }
      ++at_supplier;
      completions.emplace(tick + 100, token);
    }
    busy_ticks += at_supplier;
  }
  // Plain AIMD would average about 75% of the supplier's limit; recovering
  // to 90% of the limit that congested, about 95%.
  double average = static_cast<double>(busy_ticks) / ticks;
  EXPECT_GT(average, 0.98 * 50);
  // 100,000 ticks are 1,000 round trips, about 50,000 calls.
  EXPECT_LT(refused, 100);
  std::printf("average calls at the supplier: %.2f of 50; %lld refused\n", average,
              static_cast<long long>(refused));
}

TEST(AdaptiveLimiterTest, NeverLeavesOneToMax) {
  AdaptiveLimiter limiter(0, 3);
  EXPECT_EQ(limiter.limit(), 1);
  for (int i = 0; i < 10; ++i) limiter.OnCongestion(limiter.OnStart());
  EXPECT_EQ(limiter.limit(), 1);
  for (int i = 0; i < 100; ++i) RoundTrip(limiter);
  EXPECT_EQ(limiter.limit(), 3);
  EXPECT_EQ(AdaptiveLimiter(100, 64).limit(), 64);
}

}  // namespace
}  // namespace imeiflow::engine
