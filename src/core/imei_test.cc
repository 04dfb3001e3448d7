#include "core/imei.h"

#include <gtest/gtest.h>

namespace imeiflow {
namespace {

TEST(LuhnTest, KnownImeisPass) {
  EXPECT_TRUE(LuhnValid("490154203237518"));
  EXPECT_TRUE(LuhnValid("352099001761481"));
  EXPECT_TRUE(LuhnValid("356938035643809"));
}

TEST(LuhnTest, EveryWrongCheckDigitFails) {
  std::string imei = "490154203237518";
  for (char d = '0'; d <= '9'; ++d) {
    imei[14] = d;
    EXPECT_EQ(LuhnValid(imei), d == '8') << imei;
  }
}

TEST(LuhnTest, RejectsWrongLengthAndNonDigits) {
  EXPECT_FALSE(LuhnValid("49015420323751"));
  EXPECT_FALSE(LuhnValid("4901542032375180"));
  EXPECT_FALSE(LuhnValid("49015420323751A"));
  EXPECT_FALSE(LuhnValid(""));
}

TEST(CheckDigitTest, ComputesLuhnDigit) {
  EXPECT_EQ(CheckDigit("49015420323751"), '8');
  EXPECT_EQ(CheckDigit("35209900176148"), '1');
  EXPECT_EQ(CheckDigit("00000000000000"), '0');
  EXPECT_EQ(CheckDigit("86735603123456"), '8');
}

TEST(NormalizeImeiTest, ValidFifteenDigits) {
  NormalizedImei n = NormalizeImei("352099001761481");
  EXPECT_EQ(n.verdict, ImeiVerdict::kValid);
  EXPECT_EQ(n.imei, "352099001761481");
  EXPECT_EQ(n.reason, "");
}

TEST(NormalizeImeiTest, PrintedGroupsAreJoined) {
  for (const char* raw : {"35-209900-176148-1", "35 209900 176148 1",
                          "35\xC2\xA0"
                          "209900 176148-1"}) {
    NormalizedImei n = NormalizeImei(raw);
    EXPECT_EQ(n.verdict, ImeiVerdict::kValid) << raw;
    EXPECT_EQ(n.imei, "352099001761481") << raw;
  }
}

TEST(NormalizeImeiTest, FourteenDigitsAreCompleted) {
  NormalizedImei n = NormalizeImei("35209900176148");
  EXPECT_EQ(n.verdict, ImeiVerdict::kCompleted);
  EXPECT_EQ(n.imei, "352099001761481");
  NormalizedImei grouped = NormalizeImei("35-209900-176148");
  EXPECT_EQ(grouped.verdict, ImeiVerdict::kCompleted);
  EXPECT_EQ(grouped.imei, "352099001761481");
}

TEST(NormalizeImeiTest, WrongCheckDigitSaysTheRightOne) {
  NormalizedImei n = NormalizeImei("352099001761482");
  EXPECT_EQ(n.verdict, ImeiVerdict::kInvalid);
  EXPECT_EQ(n.imei, "");
  EXPECT_NE(n.reason.find("check digit should be 1"), std::string::npos) << n.reason;
}

TEST(NormalizeImeiTest, SixteenDigitsLookLikeImeisv) {
  NormalizedImei n = NormalizeImei("3520990017614812");
  EXPECT_EQ(n.verdict, ImeiVerdict::kInvalid);
  EXPECT_EQ(n.reason.rfind("16 digits: looks like an IMEISV", 0), 0u) << n.reason;
}

TEST(NormalizeImeiTest, LettersAreNamed) {
  NormalizedImei n = NormalizeImei("35209900176148A");
  EXPECT_EQ(n.verdict, ImeiVerdict::kInvalid);
  EXPECT_EQ(n.reason.rfind("contains letters", 0), 0u) << n.reason;
}

TEST(NormalizeImeiTest, OtherCharactersAreNamed) {
  EXPECT_EQ(NormalizeImei("352099001761481.0").reason.rfind("contains '.'", 0), 0u);
  EXPECT_EQ(NormalizeImei("35209900\x01"
                          "1761481")
                .reason.rfind("contains characters other", 0),
            0u);
  EXPECT_EQ(NormalizeImei("\xFF\xFE").verdict, ImeiVerdict::kInvalid);
}

TEST(NormalizeImeiTest, OtherLengthsSayHowManyDigits) {
  EXPECT_EQ(NormalizeImei("352099001761").reason, "12 digits: an IMEI has 15");
  EXPECT_EQ(NormalizeImei("7").reason, "1 digit: an IMEI has 15");
  EXPECT_EQ(NormalizeImei("35209900176148123").reason, "17 digits: an IMEI has 15");
}

TEST(NormalizeImeiTest, ScientificNotationExplainsLostDigits) {
  for (const char* raw : {"3.52099E+14", "3,52099E+14", "3.52099001761481e14", "-1E5"}) {
    NormalizedImei n = NormalizeImei(raw);
    EXPECT_EQ(n.verdict, ImeiVerdict::kInvalid) << raw;
    EXPECT_NE(n.reason.find("scientific notation"), std::string::npos) << raw;
    EXPECT_NE(n.reason.find("Text"), std::string::npos) << raw;
  }
}

TEST(ScientificNotationTest, RecognisesOnlyNumbers) {
  EXPECT_TRUE(IsScientificNotation("3.52099E+14"));
  EXPECT_TRUE(IsScientificNotation("1e5"));
  EXPECT_FALSE(IsScientificNotation("E+14"));
  EXPECT_FALSE(IsScientificNotation("3.52099E+"));
  EXPECT_FALSE(IsScientificNotation("3.52099"));
  EXPECT_FALSE(IsScientificNotation("3.5E+14x"));
}

TEST(LooksLikeImeiTest, FourteenToSixteenDigitsOrScientific) {
  EXPECT_TRUE(LooksLikeImei("35209900176148"));
  EXPECT_TRUE(LooksLikeImei("35-209900-176148-1"));
  EXPECT_TRUE(LooksLikeImei("3520990017614812"));
  EXPECT_TRUE(LooksLikeImei("3.52099E+14"));
  EXPECT_FALSE(LooksLikeImei("3520990017"));
  EXPECT_FALSE(LooksLikeImei("IMEI"));
  EXPECT_FALSE(LooksLikeImei("12.50"));
}

}  // namespace
}  // namespace imeiflow
