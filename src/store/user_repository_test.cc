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
  Result<int64_t> id = users.Add("ana", Role::kOperator, "$argon2id$h", "root", 1000);
  ASSERT_TRUE(id.ok()) << id.status().message();
  Result<std::optional<UserRecord>> by_name = users.FindByName("ana");
  ASSERT_TRUE(by_name.ok() && by_name->has_value());
  EXPECT_EQ((*by_name)->id, *id);
  EXPECT_EQ((*by_name)->role, Role::kOperator);
  EXPECT_EQ((*by_name)->password_hash, "$argon2id$h");
  EXPECT_EQ((*by_name)->created_at, 1000);
  EXPECT_FALSE((*by_name)->disabled());
  EXPECT_EQ(users.FindById(*id).value()->name, "ana");
  EXPECT_FALSE(users.FindByName("bob")->has_value());
}

TEST_F(UserRepositoryTest, RefusesTakenAndBadNames) {
  UserRepository users(*db_);
  ASSERT_TRUE(users.Add("ana", Role::kViewer, "h", "root", 1).ok());
  Result<int64_t> again = users.Add("ana", Role::kAdmin, "h", "root", 2);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("already exists"), std::string::npos);
  EXPECT_FALSE(users.Add("", Role::kViewer, "h", "root", 1).ok());
  EXPECT_FALSE(users.Add("has space", Role::kViewer, "h", "root", 1).ok());
  EXPECT_FALSE(users.Add("<b>", Role::kViewer, "h", "root", 1).ok());
  EXPECT_FALSE(users.Add(std::string(65, 'a'), Role::kViewer, "h", "root", 1).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM users"), "1");
}

TEST_F(UserRepositoryTest, ListsByNameAndChangesRolePasswordAndState) {
  UserRepository users(*db_);
  ASSERT_TRUE(users.Add("zoe", Role::kAdmin, "h1", "root", 1).ok());
  ASSERT_TRUE(users.Add("al", Role::kViewer, "h2", "root", 2).ok());
  ASSERT_TRUE(users.SetRole("al", Role::kOperator, "root", 3).ok());
  ASSERT_TRUE(users.SetPassword("al", "h3", "root", 4).ok());
  ASSERT_TRUE(users.Disable("zoe", "root", 50).ok());
  ASSERT_TRUE(users.Disable("zoe", "root", 60).ok());  // idempotent: keeps the first time
  Result<std::vector<UserRecord>> list = users.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "al");
  EXPECT_EQ((*list)[0].role, Role::kOperator);
  EXPECT_EQ((*list)[0].password_hash, "h3");
  EXPECT_EQ((*list)[1].disabled_at, 50);
  EXPECT_EQ(users.CountActiveAdmins().value(), 0);
  ASSERT_TRUE(users.Enable("zoe", "root", 70).ok());
  EXPECT_EQ(users.CountActiveAdmins().value(), 1);
}

TEST_F(UserRepositoryTest, ChangesToUnknownUsersAreNotFound) {
  UserRepository users(*db_);
  EXPECT_EQ(users.SetRole("ghost", Role::kAdmin, "root", 1).code(), StatusCode::kNotFound);
  EXPECT_EQ(users.SetPassword("ghost", "h", "root", 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(users.Disable("ghost", "root", 1).code(), StatusCode::kNotFound);
  EXPECT_EQ(users.Enable("ghost", "root", 1).code(), StatusCode::kNotFound);
  EXPECT_EQ(Query("SELECT count(*) FROM audit"), "0");
}

// Issue 11, row 8: after disable and enable, the old session cookie and API
// token worked again (disabling only hid them).
TEST_F(UserRepositoryTest, DisablingRevokesSessionsAndTokensForGood) {
  constexpr SessionLimits kLimits{.idle_ms = 3'600'000, .max_age_ms = 12 * 3'600'000};
  UserRepository users(*db_);
  Result<int64_t> ana = users.Add("ana", Role::kOperator, "h", "root", 0);
  ASSERT_TRUE(ana.ok() && users.Add("bob", Role::kOperator, "h", "root", 0).ok());
  Result<std::optional<UserRecord>> bob = users.FindByName("bob");
  ASSERT_TRUE(bob.ok() && bob->has_value());
  SessionRepository sessions(*db_);
  TokenRepository tokens(*db_);
  ASSERT_TRUE(sessions.Create({"ana-session", *ana, "", "c", ""}, 10).ok());
  ASSERT_TRUE(sessions.Create({"bob-session", (*bob)->id, "", "c", ""}, 10).ok());
  Result<NewToken> anas_token = tokens.Create("ana", "script", "root", 10);
  Result<NewToken> bobs_token = tokens.Create("bob", "script", "root", 10);
  ASSERT_TRUE(anas_token.ok() && bobs_token.ok());

  ASSERT_TRUE(users.Disable("ana", "root", 20).ok());
  ASSERT_TRUE(users.Enable("ana", "root", 25).ok());
  EXPECT_FALSE(sessions.FindValid("ana-session", 30, kLimits)->has_value());
  EXPECT_EQ(tokens.Authenticate(anas_token->secret, 30).status().code(),
            StatusCode::kPermissionDenied);
  Result<std::vector<TokenInfo>> listed = tokens.List();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->front().revoked_at, 20);
  // Another user's keep working, and ana can log in and get a token anew.
  EXPECT_TRUE(sessions.FindValid("bob-session", 30, kLimits)->has_value());
  EXPECT_TRUE(tokens.Authenticate(bobs_token->secret, 30).ok());
  ASSERT_TRUE(sessions.Create({"ana-again", *ana, "", "c", ""}, 40).ok());
  EXPECT_TRUE(sessions.FindValid("ana-again", 50, kLimits)->has_value());
  Result<NewToken> new_token = tokens.Create("ana", "script", "root", 40);
  ASSERT_TRUE(new_token.ok());
  EXPECT_TRUE(tokens.Authenticate(new_token->secret, 50).ok());
}

// Issue 11: every change to a user writes its audit row, in its transaction.
TEST_F(UserRepositoryTest, EveryChangeWritesItsAuditRow) {
  UserRepository users(*db_);
  ASSERT_TRUE(users.Add("ana", Role::kViewer, "h", "root", 1).ok());
  ASSERT_TRUE(users.SetRole("ana", Role::kOperator, "root", 2).ok());
  ASSERT_TRUE(SessionRepository(*db_).Create({"s", 1, "ana", "c", ""}, 2).ok());
  ASSERT_TRUE(users.SetPassword("ana", "h2", "cli:ops", 3).ok());
  ASSERT_TRUE(users.Disable("ana", "root", 4).ok());
  ASSERT_TRUE(users.Enable("ana", "root", 5).ok());
  EXPECT_EQ(Query("SELECT group_concat(at || ' ' || actor || ' ' || action || ': ' || detail, '|')"
                  " FROM (SELECT * FROM audit WHERE action LIKE 'user%' ORDER BY id)"),
            "1 root user_add: User ana added as viewer|"
            "2 root user_role: User ana is now operator|"
            "3 cli:ops user_passwd: Password of ana changed (1 sessions ended)|"
            "4 root user_disable: User ana disabled: their sessions end now|"
            "5 root user_enable: User ana enabled");
}

// A change whose audit row cannot be written is not made.
TEST_F(UserRepositoryTest, AFailedAuditLeavesEveryChangeUndone) {
  UserRepository users(*db_);
  ASSERT_TRUE(users.Add("ana", Role::kViewer, "h", "root", 1).ok());
  ASSERT_TRUE(SessionRepository(*db_).Create({"s", 1, "ana", "c", ""}, 1).ok());
  ASSERT_TRUE(db_->Exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit"
                        " BEGIN SELECT RAISE(ABORT, 'audit refused'); END")
                  .ok());
  EXPECT_FALSE(users.Add("bob", Role::kAdmin, "h", "root", 2).ok());
  EXPECT_FALSE(users.SetRole("ana", Role::kAdmin, "root", 2).ok());
  EXPECT_FALSE(users.SetPassword("ana", "h2", "root", 2).ok());
  EXPECT_FALSE(users.Disable("ana", "root", 2).ok());
  EXPECT_EQ(Query("SELECT group_concat(name || ' ' || role || ' ' || password_hash || ' ' ||"
                  " coalesce(disabled_at, 'enabled')) FROM users"),
            "ana viewer h enabled");
  EXPECT_EQ(Query("SELECT count(*) FROM sessions WHERE revoked_at IS NULL"), "1");
  ASSERT_TRUE(db_->Exec("DROP TRIGGER no_audit").ok());
  ASSERT_TRUE(users.Disable("ana", "root", 3).ok());
  ASSERT_TRUE(db_->Exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit"
                        " BEGIN SELECT RAISE(ABORT, 'audit refused'); END")
                  .ok());
  EXPECT_FALSE(users.Enable("ana", "root", 4).ok());
  EXPECT_TRUE(users.FindByName("ana").value()->disabled());
}

TEST_F(UserRepositoryTest, AnUnknownStoredRoleIsCorruptNamingTheUser) {
  UserRepository users(*db_);
  ASSERT_TRUE(users.Add("ana", Role::kViewer, "h", "root", 1).ok());
  ASSERT_TRUE(db_->Exec("PRAGMA ignore_check_constraints = ON;"
                        "UPDATE users SET role = 'superuser' WHERE name = 'ana'")
                  .ok());
  Result<std::optional<UserRecord>> found = users.FindByName("ana");
  EXPECT_EQ(found.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(found.status().message().find("\"ana\""), std::string::npos);
  EXPECT_NE(found.status().message().find("\"superuser\""), std::string::npos);
  EXPECT_EQ(users.List().status().code(), StatusCode::kCorrupt);
}

}  // namespace
}  // namespace imeiflow::store
