// TestDatabase: a fresh database file in its own temporary folder, for store
// and engine tests; removed when the fixture ends. Not thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/database.h"

namespace imeiflow::store {

/// The first column of the first row of `sql` on `db`, as text.
inline std::string QueryText(Database& db, const std::string& sql) {
  Result<Statement> stmt = db.Prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().message();
  if (!stmt.ok()) return "";
  Result<bool> row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row) << sql;
  return row.ok() && *row ? stmt->ColumnText(0) : "";
}

/// A gtest fixture owning an open, migrated database file.
class TestDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ =
        std::filesystem::temp_directory_path() / ("imeiflow-" + std::to_string(::getpid()) + "-" +
                                                  info->test_suite_name() + "-" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "test.db").string();
    Result<std::unique_ptr<Database>> db = Database::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  /// The first column of the first row of `sql`, as text.
  std::string Query(const std::string& sql) { return QueryText(*db_, sql); }

  std::filesystem::path dir_;     ///< the temporary folder
  std::string path_;              ///< the database file
  std::unique_ptr<Database> db_;  ///< open on path_
};

}  // namespace imeiflow::store
