#include "web/password.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "web/embedded_files.h"

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

// Issue 11, row 17: "password", "aaaaaaaaaaaa" and 8 spaces were accepted.
TEST(PasswordTest, RefusesBlankRepeatedAndCommonPasswords) {
  struct Case {
    const char* password;
    const char* rule;
  };
  for (const Case& c : {
           Case{"", "empty or only blanks"},
           Case{"        ", "empty or only blanks"},
           Case{" \t \t \t \t", "empty or only blanks"},
           Case{"aaaaaaaaaaaa", "repeats"},
           Case{"abababab", "repeats"},
           Case{"xyzxyzxyz", "repeats"},
           Case{"abcdabcd", "repeats"},
           Case{"password", "most common"},
           Case{"PassWord", "most common"},
           Case{"Password123!", "most common"},
           Case{"12345678", "most common"},
           Case{"qwertyuiop", "most common"},
           Case{"letmein2024", "most common"},
           Case{"p@ssw0rd", "most common"},
       }) {
    std::string problem = NewPasswordProblem(c.password);
    EXPECT_NE(problem.find(c.rule), std::string::npos) << '"' << c.password << "\": " << problem;
    EXPECT_NE(problem.find("at least 8 characters"), std::string::npos) << problem;
    Result<std::string> hash = HashPassword(c.password, PasswordCost::kMinimum);
    ASSERT_FALSE(hash.ok()) << c.password;
    EXPECT_EQ(hash.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(hash.status().message(), problem);
  }
}

TEST(PasswordTest, AcceptsPasswordsThatAreNeitherCommonNorRepeated) {
  for (const char* ok : {"correct horse", "password-ana", "abcdabcde", "tr0ub4dor&3x",
                         "  leading blanks", "aaaaaaab"}) {
    EXPECT_EQ(NewPasswordProblem(ok), "") << ok;
  }
}

TEST(PasswordTest, TheCommonListShipsWithTheProgram) {
  std::optional<std::string_view> list = FindEmbeddedFile("data/common_passwords.txt");
  ASSERT_TRUE(list.has_value());
  size_t words = 0;
  std::string_view text = *list;
  for (size_t start = 0; start < text.size();) {
    size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    ++words;
    for (char c : line) EXPECT_FALSE(std::isupper(static_cast<unsigned char>(c))) << line;
  }
  EXPECT_GE(words, 400u);
  for (const char* known : {"password", "qwerty", "letmein", "iloveyou", "admin", "dragon"}) {
    EXPECT_NE(NewPasswordProblem(std::string(known) + "2024!"), "") << known;
  }
  for (const char* known : {"123456789", "1234567890", "1q2w3e4r", "zaq12wsx"}) {
    EXPECT_NE(NewPasswordProblem(known), "") << known;
  }
}

TEST(PasswordTest, MalformedHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("", "anything at all"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "anything at all"));
}

}  // namespace
}  // namespace imeiflow::web
