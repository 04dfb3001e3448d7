#include "core/ascii.h"

#include <gtest/gtest.h>

namespace imeiflow {
namespace {

TEST(AsciiLowerTest, FoldsAsciiLettersOnly) {
  EXPECT_EQ(AsciiLower("Invalid IMEI, ABC-xyz 123_@[`{"), "invalid imei, abc-xyz 123_@[`{");
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(AsciiLowerTest, LeavesUtf8AndOtherBytesAlone) {
  // "É" (C3 89) and "Ä" (C3 84) are not ASCII: folding them would break the UTF-8.
  EXPECT_EQ(AsciiLower("\xC3\x89t\xC3\x84T"), "\xC3\x89t\xC3\x84t");
  EXPECT_EQ(AsciiLower(std::string_view("A\0B\xFF", 4)), std::string("a\0b\xFF", 4));
}

}  // namespace
}  // namespace imeiflow
