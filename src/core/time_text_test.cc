#include "core/time_text.h"

#include <gtest/gtest.h>

namespace imeiflow {
namespace {

TEST(TimeTextTest, FormatsAndParsesUtc) {
  EXPECT_EQ(IsoUtc(1'795'926'197'000), "2026-11-29T04:23:17Z");
  EXPECT_EQ(ParseIsoUtc("2026-11-29T04:23:17Z"), 1'795'926'197'000);
  EXPECT_EQ(ParseIsoUtc("2026-11-29T04:23:17"), 1'795'926'197'000);
  EXPECT_EQ(ParseIsoUtc("2026-11-29"), 1'795'910'400'000);
}

TEST(TimeTextTest, FormatsInAnyLayout) {
  EXPECT_EQ(FormatUtc(0, "%Y-%m-%d %H:%M:%S"), "1970-01-01 00:00:00");
  EXPECT_EQ(FormatUtc(1'795'926'197'999, "%Y-%m-%d"), "2026-11-29");  // milliseconds dropped
  EXPECT_EQ(FormatUtc(1'795'926'197'000, "%H:%M UTC"), "04:23 UTC");
}

TEST(TimeTextTest, RejectsWhatIsNotADate) {
  for (const char* bad : {"", "yesterday", "2026-13-01", "2026-11-29 04:36", "2026-11-29T25:00:00",
                          "2026-11-29Tjunk", "2026-11-29T04:23:17Zextra"}) {
    EXPECT_FALSE(ParseIsoUtc(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace imeiflow
