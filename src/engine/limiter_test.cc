#include "engine/limiter.h"

#include <gtest/gtest.h>

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
  EXPECT_TRUE(limiter.slow_start());
}

TEST(AdaptiveLimiterTest, ABurstOfSignalsHalvesOnceThenGrowsByOnePerWindow) {
  AdaptiveLimiter limiter(4, 64);
  RoundTrip(limiter);
  RoundTrip(limiter);  // 16
  std::vector<uint64_t> burst(16);
  for (auto& t : burst) t = limiter.OnStart();
  for (auto t : burst) limiter.OnCongestion(t);  // every call of the round saw a 429
  EXPECT_EQ(limiter.limit(), 8);
  EXPECT_FALSE(limiter.slow_start());
  RoundTrip(limiter);  // 8 successes: one window
  EXPECT_EQ(limiter.limit(), 9);
  RoundTrip(limiter);
  EXPECT_EQ(limiter.limit(), 10);
  // A fresh signal (from a call started after the decrease) halves again.
  limiter.OnCongestion(limiter.OnStart());
  EXPECT_EQ(limiter.limit(), 5);
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
