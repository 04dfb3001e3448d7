// Runs the built `imeiflow token create|list|revoke` on a real database file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "process_util.h"
#include "store/database.h"
#include "store/token_repository.h"

namespace imeiflow {
namespace {

using integration::ProcessRun;

class TokenCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(db_path_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)
                    ->Exec("INSERT INTO users(name, role, password_hash, created_at)"
                           " VALUES ('ann', 'operator', 'x', 0)")
                    .ok());
  }

  ProcessRun Token(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_path_, "token"});
    return integration::RunImeiflow(std::move(args), {{"USER", "tester"}});
  }

  std::string QueryText(const std::string& sql) {
    auto db = store::Database::Open(db_path_);
    EXPECT_TRUE(db.ok());
    auto stmt = (*db)->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    auto row = stmt->Step();
    return row.ok() && *row ? stmt->ColumnText(0) : "";
  }

  integration::TempDir dir_;
  std::string db_path_ = dir_.File("t.db");
};

TEST_F(TokenCliTest, CreatePrintsTheTokenOnceAndStoresItsHash) {
  ProcessRun created = Token({"create", "--user", "ann", "--label", "nightly"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  ASSERT_EQ(created.out.size(), 65u) << created.out;  // 64 hex characters and a newline
  std::string secret = created.out.substr(0, 64);
  EXPECT_EQ(secret.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(created.err.find("will not be shown again"), std::string::npos) << created.err;
  EXPECT_EQ(QueryText("SELECT token_hash FROM api_tokens"), store::TokenHash(secret));
  EXPECT_EQ(QueryText("SELECT actor || ' ' || action || ' ' || detail FROM audit"),
            "cli:tester token.create token 1 for ann (nightly)");

  ProcessRun list = Token({"list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.find(secret), std::string::npos);
  nlohmann::json tokens = nlohmann::json::parse(list.out)["tokens"];
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0]["id"], 1);
  EXPECT_EQ(tokens[0]["user"], "ann");
  EXPECT_EQ(tokens[0]["label"], "nightly");
  EXPECT_TRUE(tokens[0]["revoked_at"].is_null());
}

TEST_F(TokenCliTest, RevokeEndsTheToken) {
  ProcessRun created = Token({"create", "--user", "ann"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  ProcessRun revoked = Token({"revoke", "1"});
  EXPECT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_NE(revoked.out.find("token 1 revoked"), std::string::npos);
  ProcessRun list = Token({"list"});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("ann"), std::string::npos) << list.out;
  EXPECT_EQ(QueryText("SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL"), "1");
  EXPECT_EQ(QueryText("SELECT actor FROM audit WHERE action = 'token.revoke'"), "cli:tester");
}

TEST_F(TokenCliTest, UnknownUsersAndTokensFail) {
  ProcessRun nobody = Token({"create", "--user", "nobody"});
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_NE(nobody.err.find("there is no user \"nobody\""), std::string::npos) << nobody.err;
  EXPECT_EQ(nobody.out, "");
  ProcessRun missing = Token({"revoke", "42"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("there is no token 42"), std::string::npos) << missing.err;
  EXPECT_EQ(Token({"create"}).exit_code, 2);  // --user is required
}

}  // namespace
}  // namespace imeiflow
