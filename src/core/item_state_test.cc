#include "core/item_state.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace imeiflow {
namespace {

TEST(ItemStateTest, NamesRoundTripAndAreDistinct) {
  std::set<std::string> names;
  for (ItemState s : kAllItemStates) {
    std::string_view name = ItemStateName(s);
    names.insert(std::string(name));
    ASSERT_TRUE(ParseItemState(name).has_value()) << name;
    EXPECT_EQ(*ParseItemState(name), s);
  }
  EXPECT_EQ(names.size(), kAllItemStates.size());
  EXPECT_FALSE(ParseItemState("sent").has_value());
}

TEST(ItemStateTest, WordsAreTheShopsAndDistinct) {
  std::set<std::string> words;
  for (ItemState s : kAllItemStates) {
    std::string word(ItemStateWord(s));
    EXPECT_EQ(word.find('_'), std::string::npos) << word;
    words.insert(word);
  }
  EXPECT_EQ(words.size(), kAllItemStates.size());
  EXPECT_EQ(ItemStateWord(ItemState::kUncertain), "needs review");
  EXPECT_EQ(ItemStateWord(ItemState::kSkippedDuplicate), "already ordered");
  EXPECT_EQ(ItemStateWord(ItemState::kRejected), "refused by the supplier");
}

TEST(ItemStateTest, OnlyQueuedItemsNoCallMayHaveAppliedMayEndWithoutAnOrder) {
  for (ItemState s : kAllItemStates) {
    EXPECT_EQ(NoCallMayHaveApplied(s, false), s == ItemState::kQueued) << ItemStateName(s);
    EXPECT_FALSE(NoCallMayHaveApplied(s, true)) << ItemStateName(s);
  }
}

}  // namespace
}  // namespace imeiflow
