#include "web/saved_selections.h"

#include <gtest/gtest.h>

namespace imeiflow::web {
namespace {

SearchFields ListOf(const std::string& imei) { return {{"imei", imei}}; }

TEST(SavedSelectionsTest, KeysWorkForTheirUserUntilTheyExpire) {
  SavedSelections saved;
  std::string key = saved.Save("ana", ListOf("352099001761481"), 1000);
  EXPECT_EQ(key.size(), 32u);
  std::optional<SearchFields> found = saved.Find(key, "ana", 2000);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->at("imei"), "352099001761481");
  EXPECT_FALSE(saved.Find(key, "vic", 2000)) << "another user's";
  EXPECT_FALSE(saved.Find("unknown", "ana", 2000));
  EXPECT_FALSE(saved.Find(key, "ana", 1000 + kSelectionLifetimeMs)) << "expired";
}

TEST(SavedSelectionsTest, KeepsAtMostTheNewest) {
  SavedSelections saved;
  std::string first = saved.Save("ana", ListOf("1"), 0);
  std::string last;
  for (size_t i = 0; i < kMaxSavedSelections; ++i) last = saved.Save("ana", ListOf("2"), 1);
  EXPECT_FALSE(saved.Find(first, "ana", 2));
  EXPECT_TRUE(saved.Find(last, "ana", 2));
}

}  // namespace
}  // namespace imeiflow::web
