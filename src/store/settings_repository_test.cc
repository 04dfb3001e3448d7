#include "store/settings_repository.h"

#include <gtest/gtest.h>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

using SettingsRepositoryTest = TestDatabase;

TEST_F(SettingsRepositoryTest, SetsGetsAndOverwrites) {
  SettingsRepository settings(*db_);
  EXPECT_FALSE(settings.Get("k")->has_value());
  ASSERT_TRUE(settings.Set("k", "one").ok());
  ASSERT_TRUE(settings.Set("k", "two").ok());
  EXPECT_EQ(settings.Get("k")->value(), "two");
}

}  // namespace
}  // namespace imeiflow::store

namespace imeiflow::store {
namespace {

TEST_F(SettingsRepositoryTest, TheDailyCapOfThePageOverridesTheConfigurationAndIsAudited) {
  SettingsRepository settings(*db_);
  EXPECT_EQ(settings.DailyCapInForce(std::nullopt)->source, CapSource::kNone);
  Result<DailyCap> configured = settings.DailyCapInForce(Money::FromCents(50000));
  EXPECT_EQ(configured->source, CapSource::kConfig);
  EXPECT_EQ(configured->cap, Money::FromCents(50000));

  ASSERT_TRUE(
      settings.SetDailyCap(Money::FromCents(200000), Money::FromCents(50000), "ana", 7).ok());
  Result<DailyCap> page = settings.DailyCapInForce(Money::FromCents(50000));
  EXPECT_EQ(page->source, CapSource::kPage);
  EXPECT_EQ(page->cap, Money::FromCents(200000));
  EXPECT_EQ(page->set_by, "ana");
  EXPECT_EQ(page->set_at, 7);

  ASSERT_TRUE(settings.SetDailyCap(std::nullopt, Money::FromCents(50000), "bo", 9).ok());
  EXPECT_FALSE(settings.DailyCapInForce(Money::FromCents(50000))->cap.has_value());
  EXPECT_EQ(
      Query("SELECT group_concat(actor || ' ' || action || ' ' || detail, '|') FROM audit"),
      "ana settings.daily_cap $500.00 -> $2,000.00|bo settings.daily_cap $2,000.00 -> no cap");
}

}  // namespace
}  // namespace imeiflow::store
