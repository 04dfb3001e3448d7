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
    Result<int64_t> id = users.Add("ana", "operator", "h", 0);
    ASSERT_TRUE(id.ok());
    user_id_ = *id;
  }
  int64_t user_id_ = 0;
};

TEST_F(SessionRepositoryTest, FindsAValidSessionWithItsUser) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create("hash1", user_id_, "csrf1", 1000).ok());
  Result<std::optional<SessionRecord>> found = sessions.FindValid("hash1", 2000, kLimits);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->user_id, user_id_);
  EXPECT_EQ((*found)->user_name, "ana");
  EXPECT_EQ((*found)->role, "operator");
  EXPECT_EQ((*found)->csrf_token, "csrf1");
  EXPECT_FALSE(sessions.FindValid("other", 2000, kLimits)->has_value());
}

TEST_F(SessionRepositoryTest, EndsWhenIdleUnlessTouched) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create("a", user_id_, "c", 0).ok());
  ASSERT_TRUE(sessions.Create("b", user_id_, "c", 0).ok());
  const int64_t later = kLimits.idle_ms - 1;
  ASSERT_TRUE(sessions.Touch("a", later).ok());
  EXPECT_TRUE(sessions.FindValid("a", kLimits.idle_ms + 10, kLimits)->has_value());
  EXPECT_FALSE(sessions.FindValid("b", kLimits.idle_ms + 10, kLimits)->has_value());
}

TEST_F(SessionRepositoryTest, EndsAtItsAbsoluteAgeEvenWhenUsed) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create("a", user_id_, "c", 0).ok());
  for (int64_t t = 0; t < kLimits.max_age_ms; t += kLimits.idle_ms / 2) {
    ASSERT_TRUE(sessions.Touch("a", t).ok());
  }
  ASSERT_TRUE(sessions.Touch("a", kLimits.max_age_ms - 1).ok());
  EXPECT_TRUE(sessions.FindValid("a", kLimits.max_age_ms - 1, kLimits)->has_value());
  EXPECT_FALSE(sessions.FindValid("a", kLimits.max_age_ms, kLimits)->has_value());
}

TEST_F(SessionRepositoryTest, RevokedSessionsAndDisabledUsersAreNotValid) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create("a", user_id_, "c", 0).ok());
  ASSERT_TRUE(sessions.Create("b", user_id_, "c", 0).ok());
  ASSERT_TRUE(sessions.Create("c", user_id_, "c", 0).ok());
  ASSERT_TRUE(sessions.Revoke("a", 5).ok());
  EXPECT_FALSE(sessions.FindValid("a", 10, kLimits)->has_value());
  EXPECT_TRUE(sessions.FindValid("b", 10, kLimits)->has_value());
  EXPECT_EQ(sessions.RevokeAllOf(user_id_, 20).value(), 2);
  EXPECT_FALSE(sessions.FindValid("b", 30, kLimits)->has_value());

  ASSERT_TRUE(sessions.Create("d", user_id_, "c", 40).ok());
  UserRepository users(*db_);
  ASSERT_TRUE(users.Disable("ana", 50).ok());
  EXPECT_FALSE(sessions.FindValid("d", 60, kLimits)->has_value());
}

TEST_F(SessionRepositoryTest, RoleChangesApplyToOpenSessions) {
  SessionRepository sessions(*db_);
  ASSERT_TRUE(sessions.Create("a", user_id_, "c", 0).ok());
  ASSERT_TRUE(UserRepository(*db_).SetRole("ana", "viewer").ok());
  EXPECT_EQ(sessions.FindValid("a", 1, kLimits).value()->role, "viewer");
}

}  // namespace
}  // namespace imeiflow::store
