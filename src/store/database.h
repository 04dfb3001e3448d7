// Database: one SQLite connection, configured for durability, with prepared
// statements and transactions whose failures are Status values.
//
// Opening applies the pragmas every connection needs (WAL journal,
// synchronous=FULL, a busy timeout, foreign keys) and the schema migrations
// (migrations.h). A Database is not thread-safe: give each thread its own
// connection; WAL lets readers run beside the one writer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

// SQLite's handles, declared here so that users of the store (the engine, the
// CLI) never include SQLite's header.
struct sqlite3;
struct sqlite3_stmt;

namespace imeiflow::store {

class Database;

/// A prepared statement. Bind with 1-based indexes, Step() through rows, read
/// columns with 0-based indexes. Reset() makes it reusable with new bindings.
class Statement {
 public:
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  /// Binds an integer to parameter `index` (1-based).
  Statement& Bind(int index, int64_t value);
  /// Binds text to parameter `index` (copied).
  Statement& Bind(int index, std::string_view value);
  /// Binds a C string to parameter `index` (copied).
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  /// Binds NULL to parameter `index`.
  Statement& BindNull(int index);
  /// Binds `value`, or NULL when it is empty.
  Statement& Bind(int index, const std::optional<int64_t>& value);

  /// Advances to the next row: true when a row is available, false when done.
  Result<bool> Step();
  /// Runs a statement that returns no rows (INSERT, UPDATE, ...) to completion.
  Status Run();
  /// Clears bindings and rewinds, ready to run again.
  void Reset();

  /// The integer in `column` (0-based) of the current row.
  int64_t ColumnInt(int column) const;
  /// The text in `column` of the current row ("" for NULL).
  std::string ColumnText(int column) const;
  /// Whether `column` of the current row is NULL.
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_error_ = 0;  // SQLITE_OK
};

/// An open SQLite connection.
class Database {
 public:
  /// Opens (creating if needed) the database at `path`, applies pragmas and
  /// migrations. ":memory:" gives a private in-memory database for tests.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs one or more SQL statements that return no rows.
  Status Exec(std::string_view sql);
  /// Prepares one statement.
  Result<Statement> Prepare(std::string_view sql);
  /// The statement in `slot`, prepared from `sql` on first use and reset on
  /// every later one: for repositories that run the same statement often.
  Result<Statement*> PrepareCached(std::optional<Statement>& slot, std::string_view sql);
  /// The rowid of the last INSERT on this connection.
  int64_t LastInsertId() const;
  /// Rows changed by the last INSERT, UPDATE or DELETE.
  int Changes() const;
  /// The schema version (PRAGMA user_version).
  Result<int> SchemaVersion();
  /// The file this connection opened.
  const std::string& path() const { return path_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Configure();
  sqlite3* db_;
  std::string path_;
};

/// A write transaction (BEGIN IMMEDIATE, so writers queue at the start rather
/// than fail midway). Rolls back on destruction unless Commit() succeeded.
class Transaction {
 public:
  /// Begins; check status() before using it.
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  /// Whether BEGIN succeeded.
  const Status& status() const { return begin_status_; }
  /// Commits; with synchronous=FULL the data is on disk when this returns ok.
  Status Commit();

 private:
  Database& db_;
  Status begin_status_;
  bool open_ = false;
};

}  // namespace imeiflow::store
