#include "web/format.h"

#include <gtest/gtest.h>

#include <climits>

namespace imeiflow::web {
namespace {

TEST(FormatTest, ThousandsSeparators) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(6000), "6,000");
  EXPECT_EQ(WithThousands(1234567), "1,234,567");
  EXPECT_EQ(WithThousands(-1234), "-1,234");
  EXPECT_EQ(WithThousands(INT64_MIN), "-9,223,372,036,854,775,808");
}

TEST(FormatTest, TimesInUtc) {
  EXPECT_EQ(UtcText(0), "1970-01-01 00:00 UTC");
  EXPECT_EQ(UtcText(1'795'910'400'000 + 3'723'000), "2026-11-29 01:02 UTC");
}

TEST(FormatTest, AgoTexts) {
  EXPECT_EQ(AgoText(1000, 1000), "just now");
  EXPECT_EQ(AgoText(5000, 1000), "just now");
  EXPECT_EQ(AgoText(0, 45'000), "45 s ago");
  EXPECT_EQ(AgoText(0, 12 * 60'000 + 5), "12 min ago");
  EXPECT_EQ(AgoText(0, 3 * 3'600'000), "3 h ago");
  EXPECT_EQ(AgoText(0, 86'400'000), "1 day ago");
  EXPECT_EQ(AgoText(0, 3 * 86'400'000), "3 days ago");
}

TEST(FormatTest, Percentages) {
  EXPECT_EQ(PercentOf(0, 0), 0);
  EXPECT_EQ(PercentOf(1, 3), 33);
  EXPECT_EQ(PercentOf(3, 3), 100);
  EXPECT_EQ(PercentOf(5, 3), 100);
}

}  // namespace
}  // namespace imeiflow::web
