// `imeiflow user add|list|passwd` as a person runs them: the built program,
// a fresh database, passwords on standard input.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "process_util.h"
#include "store/database.h"

namespace imeiflow::integration {
namespace {

class UserCliTest : public ::testing::Test {
 protected:
  ProcessRun Imeiflow(std::vector<std::string> args, const std::string& stdin_text = "") {
    std::ofstream(dir_.File("stdin")) << stdin_text;
    return RunImeiflow(std::move(args), {{"IMEIFLOW_DB", dir_.File("t.db")}}, dir_.File("stdin"));
  }
  std::string Query(const std::string& sql) {
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(dir_.File("t.db"));
    if (!db.ok()) return "";
    Result<store::Statement> st = (*db)->Prepare(sql);
    if (!st.ok()) return "";
    Result<bool> row = st->Step();
    return row.ok() && *row ? st->ColumnText(0) : "";
  }
  TempDir dir_;
};

TEST_F(UserCliTest, AddsListsAndChangesPasswordsWithAudit) {
  ProcessRun add = Imeiflow({"user", "add", "ana", "--role", "operator", "--password-stdin"},
                            "a long password\n");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_EQ(add.out, "user ana added (operator)\n");
  std::string hash = Query("SELECT password_hash FROM users WHERE name = 'ana'");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_EQ(hash.find("a long password"), std::string::npos);

  ProcessRun list = Imeiflow({"user", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  nlohmann::json users = nlohmann::json::parse(list.out);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["name"], "ana");
  EXPECT_EQ(users[0]["role"], "operator");
  EXPECT_EQ(users[0]["disabled"], false);

  ProcessRun passwd = Imeiflow({"user", "passwd", "ana", "--password-stdin"}, "another long one\n");
  ASSERT_EQ(passwd.exit_code, 0) << passwd.err;
  EXPECT_NE(Query("SELECT password_hash FROM users WHERE name = 'ana'"), hash);
  EXPECT_EQ(Query("SELECT group_concat(action || ':' || detail, ',') FROM audit"),
            "user_add:User ana added as operator,"
            "user_passwd:Password of ana changed (0 sessions ended)");
}

TEST_F(UserCliTest, RefusesBadInputWithClearErrors) {
  ProcessRun role = Imeiflow({"user", "add", "ana", "--role", "root", "--password-stdin"}, "x\n");
  EXPECT_EQ(role.exit_code, 2);
  EXPECT_NE(role.err.find("--role: \"root\" is not admin, operator or viewer"), std::string::npos)
      << role.err;
  ProcessRun no_tty = Imeiflow({"user", "add", "ana", "--role", "admin"});
  EXPECT_EQ(no_tty.exit_code, 2);
  EXPECT_NE(no_tty.err.find("--password-stdin"), std::string::npos) << no_tty.err;
  ProcessRun short_one =
      Imeiflow({"user", "add", "ana", "--role", "admin", "--password-stdin"}, "short\n");
  EXPECT_EQ(short_one.exit_code, 1);
  EXPECT_NE(short_one.err.find("at least 8"), std::string::npos) << short_one.err;
  ProcessRun bad_name =
      Imeiflow({"user", "add", "a b", "--role", "admin", "--password-stdin"}, "long enough\n");
  EXPECT_EQ(bad_name.exit_code, 2);

  ASSERT_EQ(Imeiflow({"user", "add", "ana", "--role", "admin", "--password-stdin"}, "long enough\n")
                .exit_code,
            0);
  ProcessRun twice =
      Imeiflow({"user", "add", "ana", "--role", "viewer", "--password-stdin"}, "long enough\n");
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("already exists"), std::string::npos);
  ProcessRun ghost = Imeiflow({"user", "passwd", "ghost", "--password-stdin"}, "long enough\n");
  EXPECT_EQ(ghost.exit_code, 1);
  EXPECT_NE(ghost.err.find("no user called \"ghost\""), std::string::npos);
  EXPECT_EQ(Query("SELECT count(*) FROM users"), "1");
}

}  // namespace
}  // namespace imeiflow::integration
