#include "store/backup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "store/dispatcher_lock.h"
#include "store/migrations.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class BackupTest : public TestDatabase {
 protected:
  void Put(const std::string& key, const std::string& value) {
    Result<Statement> stmt = db_->Prepare("INSERT INTO settings(key, value) VALUES (?, ?)");
    ASSERT_TRUE(stmt.ok()) << stmt.status().message();
    stmt->Bind(1, key).Bind(2, value);
    ASSERT_TRUE(stmt->Run().ok());
  }
  std::string Backup(const std::string& name) { return (dir_ / name).string(); }
};

TEST_F(BackupTest, CopiesWhileTheDatabaseIsOpenAndChecksTheCopy) {
  Put("a", "1");
  std::string file = Backup("copy.db");
  Status s = BackupDatabase(path_, file);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_FALSE(std::filesystem::exists(file + ".partial"));
  EXPECT_FALSE(std::filesystem::exists(file + "-wal"));  // one self-contained file
  EXPECT_TRUE(CheckBackupFile(file).ok());
  Put("b", "2");  // after the backup: not in it
  Result<std::unique_ptr<Database>> copy = Database::Open(file);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  EXPECT_EQ(QueryText(**copy, "SELECT group_concat(key) FROM settings WHERE key IN ('a','b')"), "a");
}

TEST_F(BackupTest, MissingDirectoryIsNamed) {
  Status s = BackupDatabase(path_, Backup("no/such/dir/copy.db"));
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("no/such/dir"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("does not exist"), std::string::npos) << s.message();
}

TEST_F(BackupTest, UnwritableDirectoryIsNamed) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  std::filesystem::create_directory(dir_ / "ro");
  chmod((dir_ / "ro").c_str(), 0500);
  Status s = BackupDatabase(path_, Backup("ro/copy.db"));
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.message();
  EXPECT_NE(s.message().find("not writable"), std::string::npos) << s.message();
}

TEST_F(BackupTest, NewerSchemaIsRefused) {
  std::string file = Backup("newer.db");
  ASSERT_TRUE(BackupDatabase(path_, file).ok());
  {
    Result<std::unique_ptr<Database>> copy = Database::Open(file);
    ASSERT_TRUE(copy.ok());
    int newer = AllMigrations().back().version + 1;
    ASSERT_TRUE((*copy)->Exec("PRAGMA user_version = " + std::to_string(newer)).ok());
  }
  Status s = CheckBackupFile(file);
  EXPECT_NE(s.message().find("written by a newer imeiflow"), std::string::npos) << s.message();
  EXPECT_FALSE(RestoreDatabase(file, path_).ok());
}

TEST_F(BackupTest, NotADatabaseIsRefused) {
  std::string file = Backup("text.db");
  { std::ofstream(file) << "not a database at all, just some text in a file"; }
  Status s = CheckBackupFile(file);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(file), std::string::npos) << s.message();
}

TEST_F(BackupTest, RestoreReplacesTheDatabaseAndKeepsTheOldOne) {
  Put("a", "1");
  std::string file = Backup("copy.db");
  ASSERT_TRUE(BackupDatabase(path_, file).ok());
  Put("b", "2");
  db_.reset();  // restore needs the database closed
  Status s = RestoreDatabase(file, path_);
  ASSERT_TRUE(s.ok()) << s.message();
  Result<std::unique_ptr<Database>> restored = Database::Open(path_);
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(QueryText(**restored, "SELECT group_concat(key) FROM settings WHERE key IN ('a','b')"),
            "a");
  Result<std::unique_ptr<Database>> before = Database::Open(path_ + ".before-restore");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(QueryText(**before, "SELECT group_concat(key) FROM settings WHERE key IN ('a','b')"),
            "a,b");
}

TEST_F(BackupTest, RestoreRefusesWhileADispatcherHoldsTheLock) {
  std::string file = Backup("copy.db");
  ASSERT_TRUE(BackupDatabase(path_, file).ok());
  db_.reset();
  Result<std::unique_ptr<DispatcherLock>> lock = DispatcherLock::Acquire(path_);
  ASSERT_TRUE(lock.ok());
  Status s = RestoreDatabase(file, path_);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.message();
  EXPECT_NE(s.message().find("in use"), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists(path_ + ".before-restore"));
}

}  // namespace
}  // namespace imeiflow::store

namespace imeiflow::store {
namespace {

TEST_F(BackupTest, FolderBackupsAreNamedByTimeAndRotated) {
  std::filesystem::create_directory(dir_ / "daily");
  std::string daily = (dir_ / "daily").string();
  { std::ofstream(dir_ / "daily" / "notes.txt") << "kept"; }
  EXPECT_FALSE(NewestBackupMs(daily));
  constexpr int64_t kDay = 24 * 60 * 60 * 1000;
  const int64_t first = 1'796'180'400'000;  // 2026-12-02 03:00:00 UTC
  for (int day = 0; day < 4; ++day) {
    Result<std::string> file = BackupIntoFolder(path_, daily, 2, first + day * kDay);
    ASSERT_TRUE(file.ok()) << file.status().message();
    EXPECT_TRUE(CheckBackupFile(*file).ok());
  }
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(daily)) {
    left.push_back(entry.path().filename().string());
  }
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"imeiflow-20261204-030000.db",
                                            "imeiflow-20261205-030000.db", "notes.txt"}));
  EXPECT_EQ(NewestBackupMs(daily), first + 3 * kDay);
}

}  // namespace
}  // namespace imeiflow::store
