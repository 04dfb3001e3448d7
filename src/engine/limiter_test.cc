#include "engine/limiter.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <vector>

namespace imeiflow::engine {
namespace {

// One round trip: `limit()` calls start, then all succeed.
void RoundTrip(AdaptiveLimiter& limiter) {
  std::vector<uint64_t> tokens(static_cast<size_t>(limiter.limit()));
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

TEST(AdaptiveLimiterTest, ABurstOfSignalsHalvesOnceThenRecoversToJustBelowTheLimitItHit) {
  AdaptiveLimiter limiter(4, 64);
  RoundTrip(limiter);
  RoundTrip(limiter);  // 16
  std::vector<uint64_t> burst(16);
  for (auto& t : burst) t = limiter.OnStart();
  for (auto t : burst) limiter.OnCongestion(t);  // every call of the round saw a 429
  EXPECT_EQ(limiter.limit(), 8);
  EXPECT_EQ(limiter.threshold(), 15);
  EXPECT_TRUE(limiter.seen_congestion());
  RoundTrip(limiter);  // slow start back to the threshold
  EXPECT_EQ(limiter.limit(), 15);
  // It stays at the threshold for a few windows of successes...
  for (int i = 1; i < AdaptiveLimiter::kWindowsAtThreshold; ++i) RoundTrip(limiter);
  EXPECT_EQ(limiter.limit(), 15);
  RoundTrip(limiter);  // ... then probes above it, one per window of successes
  EXPECT_EQ(limiter.limit(), 16);
  RoundTrip(limiter);
  EXPECT_EQ(limiter.limit(), 17);
  // A fresh signal (from a call started after the decrease) halves again.
  limiter.OnCongestion(limiter.OnStart());
  EXPECT_EQ(limiter.limit(), 8);
  EXPECT_EQ(limiter.threshold(), 16);
}

TEST(AdaptiveLimiterTest, HoversJustUnderAFixedSupplierLimit) {
  // Event simulation: every call takes 100 ticks; the supplier answers 429 at
  // once to any call beyond 50 at a time. The dispatcher sends whenever its
  // limit allows. Measure how busy the supplier is kept.
  AdaptiveLimiter limiter(4, 64);
  std::multimap<int64_t, uint64_t> completions;  // tick -> limiter token
  int at_supplier = 0;
  int64_t busy_ticks = 0;
  const int64_t ticks = 100000;
  for (int64_t tick = 0; tick < ticks; ++tick) {
    for (auto it = completions.begin(); it != completions.end() && it->first == tick;) {
      limiter.OnSuccess(it->second);
      --at_supplier;
      it = completions.erase(it);
    }
    while (at_supplier < limiter.limit()) {
      uint64_t token = limiter.OnStart();
      if (at_supplier == 50) {  // refused at once
        limiter.OnCongestion(token);
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
  std::printf("average calls at the supplier: %.2f of 50\n", average);
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
