#include "store/dashboard_figures.h"

#include <gtest/gtest.h>

#include "store/dashboard_test_util.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class DashboardFiguresTest : public TestDatabase {};

TEST_F(DashboardFiguresTest, CountsTodayOnly) {
  ASSERT_NO_FATAL_FAILURE(SeedDashboardDay(*db_));
  Result<DashboardFigures> figures = LoadDashboardFigures(*db_, kDashboardNow);
  ASSERT_TRUE(figures.ok()) << figures.status().message();
  EXPECT_EQ(figures->ordered, 3);
  EXPECT_EQ(figures->completed, 1);
  EXPECT_EQ(figures->rejected, 2);  // one refused IMEI, one rejected result
  EXPECT_EQ(figures->duplicates, 1);
  EXPECT_EQ(figures->spent.cents(), 2400);
  ASSERT_EQ(figures->running.size(), 1u);
  EXPECT_EQ(figures->running[0].Active(), 1);
  ASSERT_TRUE(figures->last_call.has_value());
  EXPECT_EQ(figures->last_call->outcome, "unknown");
  EXPECT_EQ(figures->recent_calls, 4);
  EXPECT_EQ(figures->recent_errors, 2);

  // The next day starts from zero.
  Result<DashboardFigures> tomorrow = LoadDashboardFigures(*db_, kDashboardNow + kDashboardDay);
  ASSERT_TRUE(tomorrow.ok());
  EXPECT_EQ(tomorrow->ordered, 0);
  EXPECT_EQ(tomorrow->rejected, 0);
  EXPECT_EQ(tomorrow->spent.cents(), 0);
}

TEST_F(DashboardFiguresTest, AnEmptyDatabaseHasNoCallsAndNoJobs) {
  Result<DashboardFigures> figures = LoadDashboardFigures(*db_, kDashboardNow);
  ASSERT_TRUE(figures.ok());
  EXPECT_FALSE(figures->last_call.has_value());
  EXPECT_TRUE(figures->running.empty());
  EXPECT_EQ(figures->recent_calls, 0);
}

}  // namespace
}  // namespace imeiflow::store
