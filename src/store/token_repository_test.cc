#include "store/token_repository.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class TokenRepositoryTest : public TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    ASSERT_TRUE(db_->Exec("INSERT INTO users(name, role, password_hash, created_at) VALUES"
                          " ('ann', 'operator', 'x', 0), ('vic', 'viewer', 'x', 0);"
                          "INSERT INTO users(name, role, password_hash, created_at, disabled_at)"
                          " VALUES ('old', 'admin', 'x', 0, 5)")
                    .ok());
  }
};

TEST_F(TokenRepositoryTest, CreatesARandomTokenAndStoresOnlyItsHash) {
  TokenRepository tokens(*db_);
  Result<NewToken> a = tokens.Create("ann", "ci", "cli", 1000);
  Result<NewToken> b = tokens.Create("ann", "", "cli", 1000);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->secret.size(), 64u);
  EXPECT_EQ(a->secret.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a->secret, b->secret);
  EXPECT_EQ(Query("SELECT token_hash FROM api_tokens WHERE id = " + std::to_string(a->id)),
            TokenHash(a->secret));
  EXPECT_EQ(Query("SELECT count(*) FROM api_tokens WHERE token_hash LIKE '%" + a->secret + "%'"),
            "0");
}

TEST_F(TokenRepositoryTest, HashIsSha256Hex) {
  // The SHA-256 of "abc" (FIPS 180-2, appendix B.1).
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(TokenRepositoryTest, CreateRefusesUnknownAndDisabledUsers) {
  TokenRepository tokens(*db_);
  Result<NewToken> unknown = tokens.Create("nobody", "", "cli", 0);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.status().message().find("nobody"), std::string::npos);
  EXPECT_EQ(tokens.Create("old", "", "cli", 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Query("SELECT count(*) FROM api_tokens"), "0");
  EXPECT_EQ(Query("SELECT count(*) FROM audit"), "0");
}

TEST_F(TokenRepositoryTest, AuthenticatesToTheOwnerAndRole) {
  TokenRepository tokens(*db_);
  Result<NewToken> token = tokens.Create("vic", "", "cli", 0);
  ASSERT_TRUE(token.ok());
  Result<TokenOwner> owner = tokens.Authenticate(token->secret, 5000);
  ASSERT_TRUE(owner.ok()) << owner.status().message();
  EXPECT_EQ(owner->user_name, "vic");
  EXPECT_EQ(owner->role, Role::kViewer);
  EXPECT_EQ(owner->token_id, token->id);
  EXPECT_EQ(tokens.Authenticate(std::string(64, '0'), 0).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(tokens.Authenticate("", 0).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(TokenRepositoryTest, LastUsedIsRefreshedAtMostOncePerResolution) {
  TokenRepository tokens(*db_);
  Result<NewToken> token = tokens.Create("ann", "", "cli", 0);
  ASSERT_TRUE(token.ok());
  std::string last_used = "SELECT ifnull(last_used_at, 'never') FROM api_tokens";
  EXPECT_EQ(Query(last_used), "never");
  ASSERT_TRUE(tokens.Authenticate(token->secret, 10'000).ok());
  EXPECT_EQ(Query(last_used), "10000");
  ASSERT_TRUE(tokens.Authenticate(token->secret, 10'000 + kTokenLastUsedResolutionMs - 1).ok());
  EXPECT_EQ(Query(last_used), "10000");
  ASSERT_TRUE(tokens.Authenticate(token->secret, 10'000 + kTokenLastUsedResolutionMs).ok());
  EXPECT_EQ(Query(last_used), std::to_string(10'000 + kTokenLastUsedResolutionMs));
}

TEST_F(TokenRepositoryTest, RevokedTokensAndDisabledUsersNoLongerAuthenticate) {
  TokenRepository tokens(*db_);
  Result<NewToken> revoked = tokens.Create("ann", "", "cli", 0);
  Result<NewToken> disabled = tokens.Create("vic", "", "cli", 0);
  ASSERT_TRUE(revoked.ok() && disabled.ok());
  ASSERT_TRUE(tokens.Revoke(revoked->id, "admin", 100).ok());
  EXPECT_EQ(tokens.Authenticate(revoked->secret, 200).status().code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(db_->Exec("UPDATE users SET disabled_at = 150 WHERE name = 'vic'").ok());
  EXPECT_EQ(tokens.Authenticate(disabled->secret, 200).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(TokenRepositoryTest, RevokeKeepsTheFirstTimeAndKnowsUnknownIds) {
  TokenRepository tokens(*db_);
  Result<NewToken> token = tokens.Create("ann", "", "cli", 0);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(tokens.Revoke(token->id, "cli", 100).ok());
  ASSERT_TRUE(tokens.Revoke(token->id, "cli", 200).ok());
  EXPECT_EQ(Query("SELECT revoked_at FROM api_tokens"), "100");
  EXPECT_EQ(tokens.Revoke(token->id + 1, "cli", 300).code(), StatusCode::kNotFound);
  EXPECT_EQ(Query("SELECT count(*) FROM audit WHERE action = 'token.revoke'"), "1");
}

TEST_F(TokenRepositoryTest, ListShowsEverythingButTheSecret) {
  TokenRepository tokens(*db_);
  Result<NewToken> first = tokens.Create("ann", "nightly export", "cli", 10);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(tokens.Create("vic", "", "cli", 20).ok());
  ASSERT_TRUE(tokens.Revoke(first->id, "cli", 30).ok());
  Result<std::vector<TokenInfo>> list = tokens.List();
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].user_name, "ann");
  EXPECT_EQ((*list)[0].label, "nightly export");
  EXPECT_EQ((*list)[0].created_at, 10);
  EXPECT_EQ((*list)[0].revoked_at, 30);
  EXPECT_FALSE((*list)[0].last_used_at.has_value());
  EXPECT_EQ((*list)[1].user_name, "vic");
  EXPECT_FALSE((*list)[1].revoked_at.has_value());
}

TEST_F(TokenRepositoryTest, AuditNamesActorAndTokenButNeverTheSecret) {
  TokenRepository tokens(*db_);
  Result<NewToken> token = tokens.Create("ann", "ci", "root", 10);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(Query("SELECT actor || ' ' || action || ' ' || detail FROM audit"),
            "root token.create token " + std::to_string(token->id) + " for ann (ci)");
  EXPECT_EQ(Query("SELECT count(*) FROM audit WHERE detail LIKE '%" + token->secret + "%'"), "0");
}

TEST_F(TokenRepositoryTest, AFailedAuditLeavesNoTokenAndNoRevocation) {
  TokenRepository tokens(*db_);
  Result<NewToken> kept = tokens.Create("ann", "", "root", 10);
  ASSERT_TRUE(kept.ok());
  ASSERT_TRUE(db_->Exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit"
                        " BEGIN SELECT RAISE(ABORT, 'audit refused'); END")
                  .ok());
  EXPECT_FALSE(tokens.Create("ann", "", "root", 20).ok());
  EXPECT_FALSE(tokens.Revoke(kept->id, "root", 20).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM api_tokens"), "1");
  EXPECT_TRUE(tokens.Authenticate(kept->secret, 30).ok());
}

TEST_F(TokenRepositoryTest, ConcurrentAuthenticationsWaitForEachOthersWrites) {
  Result<NewToken> token = TokenRepository(*db_).Create("ann", "", "cli", 0);
  ASSERT_TRUE(token.ok());
  constexpr int kThreads = 4;
  constexpr int kRounds = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Result<std::unique_ptr<Database>> db = Database::Open(path_);
      ASSERT_TRUE(db.ok());
      TokenRepository tokens(**db);
      for (int round = 0; round < kRounds; ++round) {
        // Each call is a minute past the last: every one of them writes.
        int64_t now = (round * kThreads + t + 1) * kTokenLastUsedResolutionMs;
        if (!tokens.Authenticate(token->secret, now).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace imeiflow::store
