#include "engine/syncer_schedule.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/clock.h"

namespace imeiflow::engine {
namespace {

constexpr int64_t kMinute = 60'000;

TEST(PollScheduleTest, DefaultsDoubleTheAgeUpToHalfAnHour) {
  PollSchedule schedule{ScheduleOptions{}};
  FakeClock clock;
  const int64_t placed = clock.NowMs();
  int64_t next = placed + schedule.options().first_poll_ms;
  std::vector<int64_t> minutes;
  for (int poll = 0; poll < 9; ++poll) {
    clock.Set(next);  // the poll runs when due and the order stays pending
    minutes.push_back((next - placed) / kMinute);
    next = schedule.AfterAnswer(placed, clock.NowMs());
  }
  EXPECT_EQ(minutes, (std::vector<int64_t>{1, 2, 4, 8, 16, 32, 62, 92, 122}));
}

TEST(PollScheduleTest, ALatePollStillWaitsAtLeastTheFirstDelay) {
  PollSchedule schedule{ScheduleOptions{}};
  // Answered 10 s after placing (e.g. by `sync --once`): the next poll is a
  // minute later, not 10 s.
  EXPECT_EQ(schedule.AfterAnswer(0, 10'000), 10'000 + kMinute);
  // Clock skew (placed "in the future") behaves like a young order.
  EXPECT_EQ(schedule.AfterAnswer(50'000, 10'000), 10'000 + kMinute);
}

TEST(PollScheduleTest, MissedOrdersAreAskedAgainSoonAndThenAlone) {
  PollSchedule schedule{ScheduleOptions{}};
  const int64_t now = 100 * kMinute;  // an order placed at 0: interval by age 30 min
  EXPECT_EQ(schedule.AfterMiss(0, 1, now), now + kMinute);
  EXPECT_EQ(schedule.AfterMiss(0, 3, now), now + 3 * kMinute);
  EXPECT_EQ(schedule.AfterMiss(0, 1000, now), now + 30 * kMinute);
  // A young order is never asked later than its interval by age.
  EXPECT_EQ(schedule.AfterMiss(now - kMinute, 5, now), now + kMinute);
  EXPECT_FALSE(PollSchedule::Alone(1));
  EXPECT_TRUE(PollSchedule::Alone(2));
  EXPECT_EQ(schedule.AfterFailure(now), now + kMinute);
}

TEST(PollScheduleTest, OrdersAreGivenUpAfterTheConfiguredAge) {
  ScheduleOptions options;
  options.give_up_after_ms = 30 * 24 * 60 * kMinute;
  PollSchedule schedule(options);
  FakeClock clock;
  const int64_t placed = clock.NowMs();
  clock.Advance(options.give_up_after_ms);
  EXPECT_FALSE(schedule.GivenUp(placed, clock.NowMs()));
  clock.Advance(1);
  EXPECT_TRUE(schedule.GivenUp(placed, clock.NowMs()));
  EXPECT_EQ(schedule.GiveUpCutoff(clock.NowMs()), placed + 1);
}

TEST(PollScheduleTest, ShortSettingsForTestsAreRespected) {
  ScheduleOptions options;
  options.first_poll_ms = 1000;
  options.max_interval_ms = 500;  // below the first delay: raised to it
  PollSchedule schedule(options);
  EXPECT_EQ(schedule.AfterAnswer(0, 60'000), 61'000);
}

}  // namespace
}  // namespace imeiflow::engine
