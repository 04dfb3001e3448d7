#include "engine/backoff.h"

#include <gtest/gtest.h>

#include <set>

namespace imeiflow::engine {
namespace {

TEST(RetryBackoffTest, GrowsExponentiallyWithJitterUpToTheMax) {
  RetryBackoff backoff(1000, 30000, 42);
  for (int round = 0; round < 50; ++round) {
    int64_t first = backoff.DelayMs(1, std::nullopt);
    EXPECT_GE(first, 500);
    EXPECT_LE(first, 1000);
    int64_t third = backoff.DelayMs(3, std::nullopt);
    EXPECT_GE(third, 2000);
    EXPECT_LE(third, 4000);
    int64_t late = backoff.DelayMs(40, std::nullopt);
    EXPECT_GE(late, 15000);
    EXPECT_LE(late, 30000);
  }
}

TEST(RetryBackoffTest, JitterSpreadsDelaysAndIsRepeatableBySeed) {
  RetryBackoff a(1000, 30000, 7), b(1000, 30000, 7);
  std::set<int64_t> seen;
  for (int i = 0; i < 20; ++i) {
    int64_t d = a.DelayMs(4, std::nullopt);
    EXPECT_EQ(d, b.DelayMs(4, std::nullopt));
    seen.insert(d);
  }
  EXPECT_GT(seen.size(), 10u);
}

TEST(RetryBackoffTest, HonoursRetryAfter) {
  RetryBackoff backoff(1000, 30000, 1);
  EXPECT_GE(backoff.DelayMs(1, 45000), 45000);
  EXPECT_LE(backoff.DelayMs(1, 10), 1000);
}

}  // namespace
}  // namespace imeiflow::engine
