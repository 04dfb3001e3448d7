#include "store/database.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include "store/migrations.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

using DatabaseTest = TestDatabase;

// The message of `open()` run in a child process as the unprivileged user
// "nobody": root may write anywhere, so permissions are tested as another
// user. "" when the open succeeded.
std::string OpenAsNobody(const std::function<Result<std::unique_ptr<Database>>()>& open) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    std::string message = "setuid failed";
    if (::getuid() != 0 || (::setgid(65534) == 0 && ::setuid(65534) == 0)) {
      Result<std::unique_ptr<Database>> db = open();
      message = db.ok() ? "" : db.status().message();
    }
    ssize_t written = ::write(fds[1], message.data(), message.size());
    ::_exit(written == static_cast<ssize_t>(message.size()) ? 0 : 1);
  }
  ::close(fds[1]);
  std::string message;
  char buffer[512];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) message.append(buffer, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return message;
}

TEST_F(DatabaseTest, OpensDurablyAndMigratesToTheNewestVersion) {
  Result<std::unique_ptr<Database>> db = Database::Open(path_);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(QueryText(**db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(QueryText(**db, "PRAGMA synchronous"), "2");  // FULL
  EXPECT_EQ(QueryText(**db, "PRAGMA foreign_keys"), "1");
  EXPECT_EQ(*(*db)->SchemaVersion(), AllMigrations().back().version);
  EXPECT_EQ(QueryText(**db, "SELECT count(*) FROM sqlite_master WHERE name = 'items'"), "1");
}

TEST_F(DatabaseTest, ReopeningKeepsDataAndDoesNotMigrateAgain) {
  db_.reset();
  {
    auto db = Database::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO spending(day, cents) VALUES ('2026-11-29', 800)").ok());
  }
  auto db = Database::Open(path_);
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_EQ(QueryText(**db, "SELECT cents FROM spending"), "800");
}

TEST_F(DatabaseTest, RefusesADatabaseFromANewerImeiflow) {
  db_.reset();
  {
    auto db = Database::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version = 999").ok());
  }
  auto db = Database::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("written by a newer imeiflow (schema 999"), std::string::npos)
      << db.status().message();
}

TEST_F(DatabaseTest, AFailedMigrationLeavesTheOldVersion) {
  auto db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok());
  const Migration broken[] = {
      AllMigrations().front(),
      {AllMigrations().back().version + 1, "CREATE TABLE t(a); INSERT INTO nowhere VALUES (1);"}};
  Status s = ApplyMigrations(**db, broken);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no such table: nowhere"), std::string::npos) << s.message();
  EXPECT_EQ(*(*db)->SchemaVersion(), AllMigrations().back().version);
  EXPECT_EQ(QueryText(**db, "SELECT count(*) FROM sqlite_master WHERE name = 't'"), "0");
}

TEST_F(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  auto db = Database::Open(path_);
  ASSERT_TRUE(db.ok());
  {
    Transaction tx(**db);
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO spending(day, cents) VALUES ('a', 1)").ok());
  }
  EXPECT_EQ(QueryText(**db, "SELECT count(*) FROM spending"), "0");
  {
    Transaction tx(**db);
    ASSERT_TRUE((*db)->Exec("INSERT INTO spending(day, cents) VALUES ('b', 2)").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(QueryText(**db, "SELECT count(*) FROM spending"), "1");
}

TEST_F(DatabaseTest, StatementsBindStepAndReportErrors) {
  auto db = Database::Open(path_);
  ASSERT_TRUE(db.ok());
  auto insert = (*db)->Prepare("INSERT INTO spending(day, cents) VALUES (?1, ?2)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->Bind(1, "d1").Bind(2, int64_t{5}).Run().ok());
  insert->Reset();
  Status dup = insert->Bind(1, "d1").Bind(2, int64_t{6}).Run();
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.message().find("UNIQUE constraint failed"), std::string::npos) << dup.message();

  auto bad = (*db)->Prepare("SELEKT 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("SELEKT"), std::string::npos);

  auto select = (*db)->Prepare("SELECT day, cents, NULL FROM spending");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnText(0), "d1");
  EXPECT_EQ(select->ColumnInt(1), 5);
  EXPECT_TRUE(select->ColumnIsNull(2));
  EXPECT_FALSE(*select->Step());
}

TEST_F(DatabaseTest, PrepareCachedPreparesOnceAndResetsOnReuse) {
  auto db = Database::Open(path_);
  ASSERT_TRUE(db.ok());
  std::optional<Statement> slot;
  for (const char* day : {"d1", "d2"}) {
    Result<Statement*> insert =
        (*db)->PrepareCached(slot, "INSERT INTO spending(day, cents) VALUES (?1, 1)");
    ASSERT_TRUE(insert.ok()) << insert.status().message();
    EXPECT_EQ(*insert, &*slot);
    ASSERT_TRUE((*insert)->Bind(1, day).Run().ok());  // runs again only after a reset
  }
  EXPECT_EQ(QueryText(**db, "SELECT group_concat(day) FROM spending"), "d1,d2");
  std::optional<Statement> bad;
  EXPECT_FALSE((*db)->PrepareCached(bad, "SELEKT 1").ok());
  EXPECT_FALSE(bad.has_value());
}

TEST_F(DatabaseTest, SchemaRejectsUnknownItemStates) {
  auto db = Database::Open(path_);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)
                  ->Exec("INSERT INTO jobs(id, service_id, price_cents, created_at)"
                         " VALUES (1, '1739', 8, 0)")
                  .ok());
  Status s = (*db)->Exec(
      "INSERT INTO items(job_id, line, input, imei, state, updated_at)"
      " VALUES (1, 1, 'x', 'x', 'sent', 0)");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("CHECK constraint failed"), std::string::npos) << s.message();
}

TEST_F(DatabaseTest, OpenNamesTheMissingDirectory) {
  auto db = Database::Open((dir_ / "missing-dir" / "x.db").string());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().message(),
            "the database directory " + (dir_ / "missing-dir").string() + " does not exist");
}

TEST_F(DatabaseTest, OpenSaysTheDatabaseIsReadOnlyWithoutSql) {
  std::string path = (dir_ / "shop.db").string();
  ASSERT_TRUE(Database::Open(path).ok());
  ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  std::string message = OpenAsNobody([&] { return Database::Open(path); });
  EXPECT_EQ(message,
            "the database " + path + " is read-only (check its permissions and its directory's)");
}

TEST_F(DatabaseTest, OpenSaysTheDirectoryIsReadOnly) {
  std::filesystem::path locked = dir_ / "locked";
  std::filesystem::create_directories(locked);
  ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(locked.c_str(), 0555), 0);
  std::string path = (locked / "new.db").string();
  std::string message = OpenAsNobody([&] { return Database::Open(path); });
  EXPECT_EQ(message, "cannot create the database " + path + ": the directory " + locked.string() +
                         " is read-only");
}

TEST_F(DatabaseTest, StatementErrorsCarryNoSql) {
  Result<Statement> bad = db_->Prepare("SELECT x FROM nowhere_table");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().find("SELECT"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("no such table: nowhere_table"), std::string::npos)
      << bad.status().message();
}

}  // namespace
}  // namespace imeiflow::store
