#include "store/session_repository.h"

#include <gtest/gtest.h>

#include "store/test_database.h"
#include "store/user_repository.h"

namespace imeiflow::store {
namespace {

constexpr SessionLimits kLimits{.idle_ms = 30 * 60'000, .max_age_ms = 12 * 3'600'000};

class SessionRepositoryTest : public TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    UserRepository users(*db_);
    Result<int64_t> id = users.Add("ana", Role::kOperator, "h", "root", 0);
    ASSERT_TRUE(id.ok());
    user_id_ = *id;
  }
  // A login of ana's with session id `id_hash` and CSRF token `csrf`.
  NewSession Login(const std::string& id_hash, const std::string& csrf = "c") const {
    return NewSession{id_hash, user_id_, "ana", csrf, "127.0.0.1"};
  }
  int64_t user_id_ = 0;
};

TEST_F(SessionRepositoryTest, FindsAValidSessionWithItsUser) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create(Login("hash1", "csrf1"), 1000).ok());
  Result<std::optional<SessionRecord>> found = sessions.FindValid("hash1", 2000, kLimits);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->user_id, user_id_);
  EXPECT_EQ((*found)->user_name, "ana");
  EXPECT_EQ((*found)->role, Role::kOperator);
  EXPECT_EQ((*found)->csrf_token, "csrf1");
  EXPECT_FALSE(sessions.FindValid("other", 2000, kLimits)->has_value());
}

TEST_F(SessionRepositoryTest, EndsWhenIdleUnlessTouched) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create(Login("a"), 0).ok());
  ASSERT_TRUE(sessions.Create(Login("b"), 0).ok());
  const int64_t later = kLimits.idle_ms - 1;
  ASSERT_TRUE(sessions.Touch("a", later).ok());
  EXPECT_TRUE(sessions.FindValid("a", kLimits.idle_ms + 10, kLimits)->has_value());
  EXPECT_FALSE(sessions.FindValid("b", kLimits.idle_ms + 10, kLimits)->has_value());
}

TEST_F(SessionRepositoryTest, EndsAtItsAbsoluteAgeEvenWhenUsed) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create(Login("a"), 0).ok());
  for (int64_t t = 0; t < kLimits.max_age_ms; t += kLimits.idle_ms / 2) {
    ASSERT_TRUE(sessions.Touch("a", t).ok());
  }
  ASSERT_TRUE(sessions.Touch("a", kLimits.max_age_ms - 1).ok());
  EXPECT_TRUE(sessions.FindValid("a", kLimits.max_age_ms - 1, kLimits)->has_value());
  EXPECT_FALSE(sessions.FindValid("a", kLimits.max_age_ms, kLimits)->has_value());
}

TEST_F(SessionRepositoryTest, RevokedSessionsAndDisabledUsersAreNotValid) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create(Login("a"), 0).ok());
  ASSERT_TRUE(sessions.Create(Login("b"), 0).ok());
  ASSERT_TRUE(sessions.Create(Login("c"), 0).ok());
  ASSERT_TRUE(sessions.Revoke("a", "ana", 5).ok());
  EXPECT_FALSE(sessions.FindValid("a", 10, kLimits)->has_value());
  EXPECT_TRUE(sessions.FindValid("b", 10, kLimits)->has_value());
  EXPECT_EQ(sessions.RevokeAllOf(user_id_, 20).value(), 2);
  EXPECT_FALSE(sessions.FindValid("b", 30, kLimits)->has_value());

  ASSERT_TRUE(sessions.Create(Login("d"), 40).ok());
  UserRepository users(*db_);
  ASSERT_TRUE(users.Disable("ana", "root", 50).ok());
  EXPECT_FALSE(sessions.FindValid("d", 60, kLimits)->has_value());
}

TEST_F(SessionRepositoryTest, RoleChangesApplyToOpenSessions) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create(Login("a"), 0).ok());
  ASSERT_TRUE(UserRepository(*db_).SetRole("ana", Role::kViewer, "root", 1).ok());
  EXPECT_EQ(sessions.FindValid("a", 1, kLimits).value()->role, Role::kViewer);
}

TEST_F(SessionRepositoryTest, LoginsFailedLoginsAndLogoutsAreAudited) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create(Login("a"), 10).ok());
  ASSERT_TRUE(sessions.RecordFailedLogin("mallory", "10.0.0.9", 20).ok());
  ASSERT_TRUE(sessions.Revoke("a", "ana", 30).ok());
  ASSERT_TRUE(sessions.Revoke("a", "ana", 40).ok());  // already ended: no second row
  EXPECT_EQ(Query("SELECT group_concat(at || ' ' || actor || ' ' || action || ' ' || detail, '|')"
                  " FROM (SELECT * FROM audit WHERE action <> 'user_add' ORDER BY id)"),
            "10 ana login from 127.0.0.1|20 mallory login_failed from 10.0.0.9|30 ana logout ");
}

TEST_F(SessionRepositoryTest, AFailedAuditLeavesTheSessionUnchanged) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create(Login("open"), 0).ok());
  ASSERT_TRUE(db_->Exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit"
                        " BEGIN SELECT RAISE(ABORT, 'audit refused'); END")
                  .ok());
  EXPECT_FALSE(sessions.Create(Login("new"), 10).ok());
  EXPECT_FALSE(sessions.Revoke("open", "ana", 10).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM sessions WHERE id_hash = 'new'"), "0");
  EXPECT_TRUE(sessions.FindValid("open", 20, kLimits)->has_value());
}

TEST_F(SessionRepositoryTest, AnUnknownStoredRoleIsCorruptNamingTheUser) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create(Login("a"), 0).ok());
  // The schema's CHECK keeps such a value out; a database written by other
  // means (or an older schema) may still hold one.
  ASSERT_TRUE(db_->Exec("PRAGMA ignore_check_constraints = ON;"
                        "UPDATE users SET role = 'root' WHERE name = 'ana'")
                  .ok());
  Result<std::optional<SessionRecord>> found = sessions.FindValid("a", 1, kLimits);
  EXPECT_EQ(found.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(found.status().message().find("\"ana\""), std::string::npos);
  EXPECT_NE(found.status().message().find("\"root\""), std::string::npos);
}

}  // namespace
}  // namespace imeiflow::store
