#include "cli/number_option.h"

#include <gtest/gtest.h>

#include <string>

namespace imeiflow::cli {
namespace {

// What WholeNumber(min, max) says about `text` ("" when it accepts it).
std::string Problem(std::string text, int64_t min, int64_t max) {
  return WholeNumber(min, max)(text);
}

TEST(WholeNumberTest, AcceptsTheRangeInclusive) {
  EXPECT_EQ(Problem("1", 1, 100), "");
  EXPECT_EQ(Problem("100", 1, 100), "");
  EXPECT_EQ(Problem("9223372036854775807", 1, INT64_MAX), "");
}

TEST(WholeNumberTest, SaysWhatIsWrongWithTheValueGiven) {
  EXPECT_EQ(Problem("0", 1, 100), "must be 1 or more (got 0)");
  EXPECT_EQ(Problem("101", 1, 100), "must be at most 100 (got 101)");
  EXPECT_EQ(Problem("99999999999999999999", 1, INT64_MAX),
            "must be at most 9223372036854775807 (got 99999999999999999999)");
  EXPECT_EQ(Problem("-99999999999999999999", 0, INT64_MAX),
            "must be 0 or more (got -99999999999999999999)");
  EXPECT_EQ(Problem("1.5", 1, 100), "must be a whole number (got \"1.5\")");
  EXPECT_EQ(Problem("1e3", 1, 10000), "must be a whole number (got \"1e3\")");
  EXPECT_EQ(Problem("", 1, 100), "must be a whole number (got \"\")");
}

}  // namespace
}  // namespace imeiflow::cli
