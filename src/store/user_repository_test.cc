#include "store/user_repository.h"

#include <gtest/gtest.h>

#include "store/session_repository.h"
#include "store/test_database.h"
#include "store/token_repository.h"

namespace imeiflow::store {
namespace {

using UserRepositoryTest = TestDatabase;

TEST_F(UserRepositoryTest, AddsAndFindsByNameAndId) {
  UserRepository users(*db_);
  Result<int64_t> id = users.Add("ana", "operator", "$argon2id$h", 1000);
  ASSERT_TRUE(id.ok()) << id.status().message();
  Result<std::optional<UserRecord>> by_name = users.FindByName("ana");
  ASSERT_TRUE(by_name.ok() && by_name->has_value());
  EXPECT_EQ((*by_name)->id, *id);
  EXPECT_EQ((*by_name)->role, "operator");
  EXPECT_EQ((*by_name)->password_hash, "$argon2id$h");
  EXPECT_EQ((*by_name)->created_at, 1000);
  EXPECT_FALSE((*by_name)->disabled());
  EXPECT_EQ(users.FindById(*id).value()->name, "ana");
  EXPECT_FALSE(users.FindByName("bob")->has_value());
}

TEST_F(UserRepositoryTest, RefusesTakenNamesBadNamesAndUnknownRoles) {
  UserRepository users(*db_);
  ASSERT_TRUE(users.Add("ana", "viewer", "h", 1).ok());
  Result<int64_t> again = users.Add("ana", "admin", "h", 2);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("already exists"), std::string::npos);
  EXPECT_FALSE(users.Add("", "viewer", "h", 1).ok());
  EXPECT_FALSE(users.Add("has space", "viewer", "h", 1).ok());
  EXPECT_FALSE(users.Add("<b>", "viewer", "h", 1).ok());
  EXPECT_FALSE(users.Add(std::string(65, 'a'), "viewer", "h", 1).ok());
  Result<int64_t> bad_role = users.Add("bob", "root", "h", 1);
  ASSERT_FALSE(bad_role.ok());
  EXPECT_NE(bad_role.status().message().find("root"), std::string::npos);
  EXPECT_EQ(Query("SELECT count(*) FROM users"), "1");
}

TEST_F(UserRepositoryTest, ListsByNameAndChangesRolePasswordAndState) {
  UserRepository users(*db_);
  ASSERT_TRUE(users.Add("zoe", "admin", "h1", 1).ok());
  ASSERT_TRUE(users.Add("al", "viewer", "h2", 2).ok());
  ASSERT_TRUE(users.SetRole("al", "operator").ok());
  ASSERT_TRUE(users.SetPasswordHash("al", "h3").ok());
  ASSERT_TRUE(users.Disable("zoe", 50).ok());
  ASSERT_TRUE(users.Disable("zoe", 60).ok());  // idempotent: keeps the first time
  Result<std::vector<UserRecord>> list = users.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "al");
  EXPECT_EQ((*list)[0].role, "operator");
  EXPECT_EQ((*list)[0].password_hash, "h3");
  EXPECT_EQ((*list)[1].disabled_at, 50);
  EXPECT_EQ(users.CountActiveAdmins().value(), 0);
  ASSERT_TRUE(users.Enable("zoe").ok());
  EXPECT_EQ(users.CountActiveAdmins().value(), 1);
}

TEST_F(UserRepositoryTest, ChangesToUnknownUsersAreNotFound) {
  UserRepository users(*db_);
  EXPECT_EQ(users.SetRole("ghost", "admin").code(), StatusCode::kNotFound);
  EXPECT_EQ(users.SetPasswordHash("ghost", "h").code(), StatusCode::kNotFound);
  EXPECT_EQ(users.Disable("ghost", 1).code(), StatusCode::kNotFound);
  EXPECT_EQ(users.SetRole("ghost", "king").code(), StatusCode::kInvalidArgument);
}

// Issue 11, row 8: after disable and enable, the old session cookie and API
// token worked again (disabling only hid them).
TEST_F(UserRepositoryTest, DisablingRevokesSessionsAndTokensForGood) {
  constexpr SessionLimits kLimits{.idle_ms = 3'600'000, .max_age_ms = 12 * 3'600'000};
  UserRepository users(*db_);
  Result<int64_t> ana = users.Add("ana", "operator", "h", 0);
  ASSERT_TRUE(ana.ok() && users.Add("bob", "operator", "h", 0).ok());
  Result<std::optional<UserRecord>> bob = users.FindByName("bob");
  ASSERT_TRUE(bob.ok() && bob->has_value());
  SessionRepository sessions(*db_);
  TokenRepository tokens(*db_);
  ASSERT_TRUE(sessions.Create("ana-session", *ana, "c", 10).ok());
  ASSERT_TRUE(sessions.Create("bob-session", (*bob)->id, "c", 10).ok());
  Result<NewToken> anas_token = tokens.Create("ana", "script", "root", 10);
  Result<NewToken> bobs_token = tokens.Create("bob", "script", "root", 10);
  ASSERT_TRUE(anas_token.ok() && bobs_token.ok());

  ASSERT_TRUE(users.Disable("ana", 20).ok());
  ASSERT_TRUE(users.Enable("ana").ok());
  EXPECT_FALSE(sessions.FindValid("ana-session", 30, kLimits)->has_value());
  EXPECT_EQ(tokens.Authenticate(anas_token->secret, 30).status().code(),
            StatusCode::kPermissionDenied);
  Result<std::vector<TokenInfo>> listed = tokens.List();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->front().revoked_at, 20);
  // Another user's keep working, and ana can log in and get a token anew.
  EXPECT_TRUE(sessions.FindValid("bob-session", 30, kLimits)->has_value());
  EXPECT_TRUE(tokens.Authenticate(bobs_token->secret, 30).ok());
  ASSERT_TRUE(sessions.Create("ana-again", *ana, "c", 40).ok());
  EXPECT_TRUE(sessions.FindValid("ana-again", 50, kLimits)->has_value());
  Result<NewToken> new_token = tokens.Create("ana", "script", "root", 40);
  ASSERT_TRUE(new_token.ok());
  EXPECT_TRUE(tokens.Authenticate(new_token->secret, 50).ok());
}

}  // namespace
}  // namespace imeiflow::store
