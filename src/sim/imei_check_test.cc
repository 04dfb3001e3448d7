#include "sim/imei_check.h"

#include <gtest/gtest.h>

#include <set>

namespace imeiflow::sim {
namespace {

TEST(ImeiCheckTest, AcceptsLuhnValidFifteenDigits) {
  EXPECT_TRUE(IsValidImei("356938035643809"));
  EXPECT_TRUE(IsValidImei("490154203237518"));
}

TEST(ImeiCheckTest, RejectsWrongCheckDigitLengthAndNonDigits) {
  EXPECT_FALSE(IsValidImei("356938035643808"));
  EXPECT_FALSE(IsValidImei("35693803564380"));
  EXPECT_FALSE(IsValidImei("3569380356438090"));
  EXPECT_FALSE(IsValidImei("35693803564380a"));
  EXPECT_FALSE(IsValidImei(""));
}

TEST(ImeiCheckTest, MintedImeisAreValidAndDistinct) {
  std::set<std::string> seen;
  for (uint64_t n = 0; n < 1000; ++n) {
    std::string imei = NthImei(n * 7919);
    EXPECT_TRUE(IsValidImei(imei)) << imei;
    EXPECT_TRUE(seen.insert(imei).second) << imei;
  }
  EXPECT_EQ(ImeiWithCheckDigit("35693803564380"), "356938035643809");
}

}  // namespace
}  // namespace imeiflow::sim
