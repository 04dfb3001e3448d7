#include "web/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace imeiflow::web {
namespace {

bool IsLowerHex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(CryptoTest, RandomIdsAre64HexDigitsAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string id = RandomHexId();
    EXPECT_EQ(id.size(), 64u);
    EXPECT_TRUE(IsLowerHex(id)) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(CryptoTest, Sha256MatchesKnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, SecureEqualsComparesWholeStrings) {
  EXPECT_TRUE(SecureEquals("abc", "abc"));
  EXPECT_FALSE(SecureEquals("abc", "abd"));
  EXPECT_FALSE(SecureEquals("abc", "abcd"));
  EXPECT_FALSE(SecureEquals("", "a"));
}

}  // namespace
}  // namespace imeiflow::web
