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
