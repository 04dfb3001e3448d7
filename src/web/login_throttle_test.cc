#include "web/login_throttle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

namespace imeiflow::web {
namespace {

constexpr ThrottleLimits kLimits{.per_user = 3, .per_address = 5, .window_ms = 1000};

// A wrong guess: reserved, then (its password being wrong) left counted.
void FailOnce(LoginThrottle& throttle, const std::string& user, const std::string& address,
              int64_t now_ms) {
  ASSERT_EQ(throttle.ReserveAttempt(user, address, now_ms), 0) << user << " at " << now_ms;
}

TEST(LoginThrottleTest, BlocksAUserAfterTheLimitUntilTheWindowPasses) {
  LoginThrottle throttle(kLimits);
  for (int i = 0; i < 3; ++i) FailOnce(throttle, "ana", "10.0.0.1", 100 + i);
  // Blocked from any address, and whatever the case of the name.
  EXPECT_EQ(throttle.ReserveAttempt("ana", "10.0.0.9", 200), 900);
  EXPECT_GT(throttle.ReserveAttempt("ANA", "10.0.0.9", 200), 0);
  EXPECT_EQ(throttle.ReserveAttempt("bob", "10.0.0.9", 200), 0);
  // The first failure leaves the window at 1100; refused attempts did not count.
  EXPECT_GT(throttle.ReserveAttempt("ana", "10.0.0.9", 1099), 0);
  EXPECT_EQ(throttle.ReserveAttempt("ana", "10.0.0.9", 1100), 0);
}

TEST(LoginThrottleTest, BlocksAnAddressTryingManyNames) {
  LoginThrottle throttle(kLimits);
  for (int i = 0; i < 5; ++i) FailOnce(throttle, "user" + std::to_string(i), "10.0.0.1", 10);
  EXPECT_GT(throttle.ReserveAttempt("someone", "10.0.0.1", 20), 0);
  EXPECT_EQ(throttle.ReserveAttempt("someone", "10.0.0.2", 20), 0);
}

TEST(LoginThrottleTest, SuccessClearsTheUserButNotTheAddress) {
  LoginThrottle throttle(kLimits);
  for (int i = 0; i < 2; ++i) FailOnce(throttle, "ana", "10.0.0.1", 10);
  FailOnce(throttle, "bob", "10.0.0.1", 10);
  // ana's third attempt is the right password: its own count is taken back.
  ASSERT_EQ(throttle.ReserveAttempt("ana", "10.0.0.1", 15), 0);
  throttle.RecordSuccess("ana", "10.0.0.1", 15);
  EXPECT_EQ(throttle.ReserveAttempt("ana", "10.0.0.2", 20), 0);
  // 10.0.0.1 holds 3 failures; 2 more reach its limit of 5.
  FailOnce(throttle, "eve", "10.0.0.1", 20);
  EXPECT_EQ(throttle.ReserveAttempt("ana", "10.0.0.1", 20), 0);
  EXPECT_GT(throttle.ReserveAttempt("ana", "10.0.0.1", 20), 0);
}

TEST(LoginThrottleTest, ForgetsOldFailures) {
  LoginThrottle throttle(kLimits);
  for (int i = 0; i < 1000; ++i) {
    FailOnce(throttle, "u" + std::to_string(i), "a" + std::to_string(i / 5), i);
  }
  EXPECT_EQ(throttle.TrackedKeys(), 1200u);
  FailOnce(throttle, "late", "b", 5000);  // prunes everything older than 4000
  EXPECT_EQ(throttle.TrackedKeys(), 2u);
  EXPECT_EQ(throttle.ReserveAttempt("u1", "c", 5000), 0);
  EXPECT_EQ(throttle.ReserveAttempt("x", "a0", 5000), 0);
}

// Issue 11, row 4: 30 simultaneous logins for one user (29 wrong, 1 right)
// all had their password checked, and the right one got in. Counting a
// guess before its check lets only the limit's number of checks run.
TEST(LoginThrottleTest, SimultaneousGuessesCheckAtMostTheLimit) {
  constexpr int kGuesses = 30;
  LoginThrottle throttle(ThrottleLimits{.per_user = 5, .per_address = 20, .window_ms = 60'000});
  std::barrier start(kGuesses);
  std::atomic<int> checked{0};
  std::vector<std::thread> guesses;
  for (int i = 0; i < kGuesses; ++i) {
    guesses.emplace_back([&, i] {
      start.arrive_and_wait();
      if (throttle.ReserveAttempt("ana", "10.0.0." + std::to_string(i), 1000) == 0) {
        checked.fetch_add(1);  // the password check would run here
      }
    });
  }
  for (std::thread& t : guesses) t.join();
  EXPECT_EQ(checked.load(), 5);
  // The right password, tried now, waits for the window too.
  EXPECT_GT(throttle.ReserveAttempt("ana", "10.0.0.99", 1001), 0);
}

}  // namespace
}  // namespace imeiflow::web
