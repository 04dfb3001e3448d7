#include "sim/result_codes.h"

#include <gtest/gtest.h>

#include "sim/imei_check.h"

namespace imeiflow::sim {
namespace {

TEST(ResultCodesTest, AppleCodeHasTheKeysAndTheImei) {
  std::string imei = NthImei(12);
  std::string code = CompletedCode(ServiceKind::kAppleCheck, imei, 1);
  for (const char* key : {"Model: ", "IMEI Number: ", "Serial Number: F",
                          "IMEI2 Number: ", "Carrier: ", "Find My iPhone: ", "SimLock: "}) {
    EXPECT_NE(code.find(key), std::string::npos) << key << " in " << code;
  }
  EXPECT_NE(code.find(imei), std::string::npos);
}

TEST(ResultCodesTest, DeterministicPerImeiAndSeed) {
  std::string imei = NthImei(99);
  EXPECT_EQ(CompletedCode(ServiceKind::kAppleCheck, imei, 5),
            CompletedCode(ServiceKind::kAppleCheck, imei, 5));
  int differ = 0;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    differ += CompletedCode(ServiceKind::kAppleCheck, imei, seed) !=
              CompletedCode(ServiceKind::kAppleCheck, imei, seed + 100);
  }
  EXPECT_GT(differ, 10);
}

TEST(ResultCodesTest, SomeCodesUseBrSeparatorsAndAnEntity) {
  int html = 0, dashes = 0;
  for (uint64_t n = 0; n < 400; ++n) {
    std::string code = CompletedCode(ServiceKind::kAppleCheck, NthImei(n), 1);
    if (code.find("<br>") != std::string::npos) {
      ++html;
      EXPECT_NE(code.find("&amp;"), std::string::npos) << code;
      EXPECT_EQ(code.find(" - IMEI Number"), std::string::npos) << code;
    } else {
      ++dashes;
      EXPECT_NE(code.find(" - IMEI Number: "), std::string::npos) << code;
    }
  }
  EXPECT_GT(html, 20);
  EXPECT_GT(dashes, 300);
}

TEST(ResultCodesTest, SecondImeiIsValidAndDifferent) {
  std::string imei = NthImei(7);
  std::string code = CompletedCode(ServiceKind::kAppleCheck, imei, 3);
  size_t at = code.find("IMEI2 Number: ");
  ASSERT_NE(at, std::string::npos);
  std::string second = code.substr(at + 14, 15);
  EXPECT_TRUE(IsValidImei(second)) << second;
  EXPECT_NE(second, imei);
}

TEST(ResultCodesTest, UnlockAndGenericAndRejection) {
  std::string unlock = CompletedCode(ServiceKind::kUnlock, NthImei(3), 1);
  ASSERT_EQ(unlock.size(), 13u + 8u) << unlock;
  EXPECT_EQ(unlock.rfind("Unlock Code: ", 0), 0u);
  std::string generic = CompletedCode(ServiceKind::kGenericCheck, NthImei(3), 1);
  EXPECT_NE(generic.find("Current GSMA Status: "), std::string::npos) << generic;
  EXPECT_FALSE(RejectionReason(NthImei(3), 1).empty());
}

}  // namespace
}  // namespace imeiflow::sim
