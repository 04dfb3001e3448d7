#include "web/password.h"

#include <gtest/gtest.h>

namespace imeiflow::web {
namespace {

TEST(PasswordTest, VerifiesOnlyTheRightPassword) {
  Result<std::string> hash = HashPassword("correct horse", PasswordCost::kMinimum);
  ASSERT_TRUE(hash.ok()) << hash.status().message();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horsE"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
}

TEST(PasswordTest, SaltsEachHash) {
  Result<std::string> a = HashPassword("same password", PasswordCost::kMinimum);
  Result<std::string> b = HashPassword("same password", PasswordCost::kMinimum);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(PasswordTest, ProductionCostIsArgon2idInteractive) {
  Result<std::string> hash = HashPassword("a production one");
  ASSERT_TRUE(hash.ok());
  // libsodium's interactive limits: 64 MiB (m=65536 KiB), 2 passes.
  EXPECT_NE(hash->find("m=65536,t=2"), std::string::npos) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "a production one"));
}

TEST(PasswordTest, RefusesShortPasswords) {
  Result<std::string> hash = HashPassword("short", PasswordCost::kMinimum);
  ASSERT_FALSE(hash.ok());
  EXPECT_NE(hash.status().message().find("at least 8"), std::string::npos);
}

TEST(PasswordTest, MalformedHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("", "anything at all"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "anything at all"));
}

}  // namespace
}  // namespace imeiflow::web
