#include "web/session.h"

#include <gtest/gtest.h>

#include "store/test_database.h"
#include "store/user_repository.h"

namespace imeiflow::web {
namespace {

class SessionTest : public store::TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    store::UserRepository users(*db_);
    ASSERT_TRUE(users.Add("ana", Role::kOperator, "h", "root", 0).ok());
    Result<std::optional<store::UserRecord>> ana = users.FindByName("ana");
    ASSERT_TRUE(ana.ok() && ana->has_value());
    user_ = **ana;
  }

  // Whether the session of `cookie` is valid at `now_ms` (the request's time).
  bool Valid(const std::string& cookie, const store::SessionLimits& limits, int64_t now_ms) {
    Result<std::optional<Session>> loaded = LoadSession(*db_, cookie, limits, now_ms);
    EXPECT_TRUE(loaded.ok()) << loaded.status().message();
    return loaded.ok() && loaded->has_value();
  }

  // The stored last-seen time of `session`.
  int64_t LastSeen(const Session& session, const store::SessionLimits& limits, int64_t now_ms) {
    Result<std::optional<store::SessionRecord>> found =
        store::SessionRepository(*db_).FindValid(session.id_hash, now_ms, limits);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? (*found)->last_seen_at : -1;
  }

  store::UserRecord user_;
};

// Issue 11, row 15: with session_idle_min = 1 a session in use ended 60 s
// after login, because its last-seen time was written only once a minute.
TEST_F(SessionTest, IdleTimeCountsFromTheLastRequest) {
  const store::SessionLimits limits{.idle_ms = 60'000, .max_age_ms = 12 * 3'600'000};
  Result<StartedSession> started = StartSession(*db_, user_, "127.0.0.1", 0);
  ASSERT_TRUE(started.ok());
  const std::string& cookie = started->cookie_id;
  // A request every 50 s keeps it for ten minutes.
  int64_t now = 0;
  for (; now <= 10 * 60'000; now += 50'000) ASSERT_TRUE(Valid(cookie, limits, now)) << now;
  const int64_t last = now - 50'000;
  // Then unused, it ends one idle limit after the last request.
  EXPECT_TRUE(Valid(cookie, limits, last + 59'000));
  EXPECT_FALSE(Valid(cookie, limits, last + 59'000 + 60'000));
}

TEST_F(SessionTest, TheAbsoluteLimitCountsFromLoginAndUseWritesRarely) {
  const store::SessionLimits limits{.idle_ms = 30 * 60'000, .max_age_ms = 3'600'000};
  Result<StartedSession> started = StartSession(*db_, user_, "127.0.0.1", 0);
  ASSERT_TRUE(started.ok());
  for (int64_t now = 0; now < 3'600'000; now += 20 * 60'000) {
    ASSERT_TRUE(Valid(started->cookie_id, limits, now)) << now;
  }
  EXPECT_FALSE(Valid(started->cookie_id, limits, 3'600'000));
  // A request seconds after the last touch does not write the session again.
  Result<StartedSession> other = StartSession(*db_, user_, "127.0.0.1", 0);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(Valid(other->cookie_id, limits, 30'000));
  EXPECT_EQ(LastSeen(other->session, limits, 30'000), 0);
  ASSERT_TRUE(Valid(other->cookie_id, limits, 60'000));
  EXPECT_EQ(LastSeen(other->session, limits, 60'000), 60'000);
}

}  // namespace
}  // namespace imeiflow::web
