#include "web/login_throttle.h"

#include <gtest/gtest.h>

namespace imeiflow::web {
namespace {

constexpr ThrottleLimits kLimits{.per_user = 3, .per_address = 5, .window_ms = 1000};

TEST(LoginThrottleTest, BlocksAUserAfterTheLimitUntilTheWindowPasses) {
  LoginThrottle throttle(kLimits);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(throttle.RetryAfterMs("ana", "10.0.0.1", 100 + i), 0);
    throttle.RecordFailure("ana", "10.0.0.1", 100 + i);
  }
  // Blocked from any address, and whatever the case of the name.
  EXPECT_EQ(throttle.RetryAfterMs("ana", "10.0.0.9", 200), 900);
  EXPECT_GT(throttle.RetryAfterMs("ANA", "10.0.0.9", 200), 0);
  EXPECT_EQ(throttle.RetryAfterMs("bob", "10.0.0.9", 200), 0);
  // The first failure leaves the window at 1100.
  EXPECT_GT(throttle.RetryAfterMs("ana", "10.0.0.9", 1099), 0);
  EXPECT_EQ(throttle.RetryAfterMs("ana", "10.0.0.9", 1100), 0);
}

TEST(LoginThrottleTest, BlocksAnAddressTryingManyNames) {
  LoginThrottle throttle(kLimits);
  for (int i = 0; i < 5; ++i) throttle.RecordFailure("user" + std::to_string(i), "10.0.0.1", 10);
  EXPECT_GT(throttle.RetryAfterMs("someone", "10.0.0.1", 20), 0);
  EXPECT_EQ(throttle.RetryAfterMs("someone", "10.0.0.2", 20), 0);
}

TEST(LoginThrottleTest, SuccessClearsTheUserButNotTheAddress) {
  LoginThrottle throttle(kLimits);
  for (int i = 0; i < 3; ++i) throttle.RecordFailure("ana", "10.0.0.1", 10);
  throttle.RecordFailure("bob", "10.0.0.1", 10);
  throttle.RecordSuccess("ana");
  EXPECT_EQ(throttle.RetryAfterMs("ana", "10.0.0.2", 20), 0);
  throttle.RecordFailure("eve", "10.0.0.1", 10);
  EXPECT_GT(throttle.RetryAfterMs("ana", "10.0.0.1", 20), 0);  // 5 from that address
}

TEST(LoginThrottleTest, ForgetsOldFailures) {
  LoginThrottle throttle(kLimits);
  for (int i = 0; i < 1000; ++i) throttle.RecordFailure("u" + std::to_string(i), "a", i);
  EXPECT_EQ(throttle.TrackedKeys(), 1001u);
  throttle.RecordFailure("late", "b", 5000);  // prunes everything older than 4000
  EXPECT_EQ(throttle.TrackedKeys(), 2u);
  EXPECT_EQ(throttle.RetryAfterMs("u1", "c", 5000), 0);
  EXPECT_EQ(throttle.RetryAfterMs("x", "a", 5000), 0);
}

}  // namespace
}  // namespace imeiflow::web
