#include "upstream/http/retry_after.h"

#include <gtest/gtest.h>

namespace imeiflow::upstream {
namespace {

TEST(RetryAfter, Seconds) {
  EXPECT_EQ(ParseRetryAfter("120", 0)->count(), 120);
  EXPECT_EQ(ParseRetryAfter(" 0 ", 0)->count(), 0);
}

TEST(RetryAfter, HttpDateCountsFromNow) {
  // 1994-11-06 08:49:37 UTC = 784111777
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111770)->count(), 7);
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", 784111800)->count(), 0);
}

TEST(RetryAfter, GarbageIsNothing) {
  EXPECT_FALSE(ParseRetryAfter("", 0));
  EXPECT_FALSE(ParseRetryAfter("soon", 0));
  EXPECT_FALSE(ParseRetryAfter("-5", 0));
  EXPECT_FALSE(ParseRetryAfter("99999999999999999999999", 0));
}

}  // namespace
}  // namespace imeiflow::upstream
