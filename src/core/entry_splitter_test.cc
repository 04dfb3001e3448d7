#include "core/entry_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace imeiflow {
namespace {

using Entries = std::vector<std::pair<int, std::string>>;

Entries Split(std::string_view text, SplitMode mode = SplitMode::kText, bool count_lines = true,
              int first_line = 1) {
  Entries out;
  SplitEntries(text, first_line, mode, count_lines,
               [&](int line, std::string_view raw) { out.emplace_back(line, std::string(raw)); });
  return out;
}

TEST(SplitEntriesTest, EverySeparatorSplits) {
  Entries e = Split(
      "111111111111111,222222222222222;333333333333333\t444444444444444 "
      "555555555555555\n666666666666666");
  ASSERT_EQ(e.size(), 6u);
  EXPECT_EQ(e[0], (std::pair<int, std::string>{1, "111111111111111"}));
  EXPECT_EQ(e[4], (std::pair<int, std::string>{1, "555555555555555"}));
  EXPECT_EQ(e[5], (std::pair<int, std::string>{2, "666666666666666"}));
}

TEST(SplitEntriesTest, CrlfAndBlankLinesKeepLineNumbers) {
  Entries e = Split("111111111111111\r\n\r\n\r\n222222222222222\r\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].first, 1);
  EXPECT_EQ(e[1], (std::pair<int, std::string>{4, "222222222222222"}));
}

TEST(SplitEntriesTest, LoneCarriageReturnEndsALine) {
  Entries e = Split("111111111111111\r222222222222222");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[1].first, 2);
}

TEST(SplitEntriesTest, PrintedGroupsWithSingleSpacesAreJoined) {
  Entries e = Split("35 209900 176148 1");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].second, "35 209900 176148 1");
}

TEST(SplitEntriesTest, DashedGroupsStayOneEntry) {
  Entries e = Split("35-209900-176148-1, 35-693803-564380-9");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].second, "35-209900-176148-1");
  EXPECT_EQ(e[1].second, "35-693803-564380-9");
}

TEST(SplitEntriesTest, FullImeisSeparatedBySpacesStaySeparate) {
  Entries e = Split("352099001761481 356938035643809 35209900176148");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[2].second, "35209900176148");
}

TEST(SplitEntriesTest, TwoPrintedImeisOnOneLineAreTwoEntries) {
  Entries e = Split("35 209900 176148 1 35 693803 564380 9");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].second, "35 209900 176148 1");
  EXPECT_EQ(e[1].second, "35 693803 564380 9");
}

TEST(SplitEntriesTest, DoubleSpaceSeparatesGroups) {
  Entries e = Split("35 209900  176148 1");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].second, "35 209900");
  EXPECT_EQ(e[1].second, "176148 1");
}

TEST(SplitEntriesTest, WordsBreakGroups) {
  Entries e = Split("IMEI: 35 209900 176148 1");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].second, "IMEI:");
  EXPECT_EQ(e[1].second, "35 209900 176148 1");
}

TEST(SplitEntriesTest, NoBreakSpaceActsAsSpace) {
  Entries e = Split(
      "35\xC2\xA0"
      "209900\xC2\xA0"
      "176148\xC2\xA0"
      "1");
  ASSERT_EQ(e.size(), 1u);
}

TEST(SplitEntriesTest, LoneDashesSeparate) {
  Entries e = Split("352099001761481 - 356938035643809");
  ASSERT_EQ(e.size(), 2u);
}

TEST(SplitEntriesTest, DecimalCommaScientificStaysWhole) {
  Entries e = Split("3,52099E+14,352099001761481");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].second, "3,52099E+14");
  EXPECT_EQ(e[1].second, "352099001761481");
}

TEST(SplitEntriesTest, CellModeKeepsCommasAndRowNumber) {
  Entries e = Split("3,52099E+14;x\n352099001761481", SplitMode::kCell, false, 7);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0], (std::pair<int, std::string>{7, "3,52099E+14;x"}));
  EXPECT_EQ(e[1], (std::pair<int, std::string>{7, "352099001761481"}));
}

TEST(SplitEntriesTest, CellWithWordsIsOneEntry) {
  Entries e = Split("  352099001761481 (returned) ", SplitMode::kCell);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].second, "352099001761481 (returned)");
  Entries text = Split("352099001761481 (returned)");
  EXPECT_EQ(text.size(), 2u);
  Entries digits = Split("352099001761481 35 693803 564380 9", SplitMode::kCell);
  EXPECT_EQ(digits.size(), 2u);
}

TEST(SplitEntriesTest, EmptyAndSeparatorOnlyInputsGiveNothing) {
  EXPECT_TRUE(Split("").empty());
  EXPECT_TRUE(Split("\n\r\n , ;\t ").empty());
}

}  // namespace
}  // namespace imeiflow
