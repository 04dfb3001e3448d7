#include "cli/dispatch_session.h"

#include <gtest/gtest.h>

namespace imeiflow::cli {
namespace {

TEST(DispatchSessionTest, SyncSettingsBecomeMilliseconds) {
  Config config;
  config.sync.batch_size = 20;
  config.sync.first_poll_s = 5;
  config.sync.max_poll_interval_s = 600;
  config.sync.give_up_after_days = 7;
  config.dispatch.grace_s = 3;
  engine::SyncOptions sync = SyncOptionsFromConfig(config);
  EXPECT_EQ(sync.batch_size, 20);
  EXPECT_EQ(sync.schedule.first_poll_ms, 5'000);
  EXPECT_EQ(sync.schedule.max_interval_ms, 600'000);
  EXPECT_EQ(sync.schedule.give_up_after_ms, int64_t{7} * 24 * 3600 * 1000);
  EXPECT_EQ(sync.grace_ms, 3'000);
  // New orders are first polled after the same delay.
  Result<engine::DispatchOptions> dispatch = DispatchOptionsFromConfig(config);
  ASSERT_TRUE(dispatch.ok());
  EXPECT_EQ(dispatch->first_poll_delay_ms, 5'000);
}

TEST(DispatchSessionTest, SyncStatsTextNamesEveryCounter) {
  engine::SyncStats stats;
  stats.polls = 3;
  stats.failed_polls = 1;
  stats.orders_asked = 120;
  stats.orders_completed = 100;
  stats.orders_rejected = 5;
  stats.orders_missing = 7;
  EXPECT_EQ(SyncStatsText(stats),
            "3 poll(s) (1 failed, 0 congested), 120 order id(s) asked: 100 completed, 5 rejected,"
            " 0 in process, 7 left out, 0 stale");
}

}  // namespace
}  // namespace imeiflow::cli
