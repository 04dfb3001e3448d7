#include "core/utf8.h"

#include <gtest/gtest.h>

namespace imeiflow {
namespace {

TEST(Utf8Test, DecodesWhatItEncodes) {
  for (char32_t cp : {U'a', U'\u00e9', U'\u20ac', U'\U0001F600', U'\U0010FFFF'}) {
    std::string text = "x";
    AppendUtf8(text, cp);
    std::optional<Utf8Char> decoded = DecodeUtf8(text, 1);
    ASSERT_TRUE(decoded.has_value()) << static_cast<uint32_t>(cp);
    EXPECT_EQ(decoded->code_point, cp);
    EXPECT_EQ(decoded->length, text.size() - 1);
  }
}

TEST(Utf8Test, RejectsWhatIsNotUtf8) {
  for (std::string_view bad : {"\x80", "\xC3", "\xC3(", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                               "\xF4\x90\x80\x80", "\xFF"}) {
    EXPECT_FALSE(DecodeUtf8(bad, 0).has_value()) << testing::PrintToString(bad);
  }
}

}  // namespace
}  // namespace imeiflow
