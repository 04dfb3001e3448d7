#include "store/database.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

#include "store/migrations.h"

namespace imeiflow::store {
namespace {

// How long a connection waits for another writer before reporting "busy".
constexpr int kBusyTimeoutMs = 10000;

std::string ReadOnlyMessage(std::string_view path) {
  return fmt::format("the database {} is read-only (check its permissions and its directory's)",
                     path);
}

// The error of the last call on `db`. The SQL text goes to the debug log
// only: it means nothing to the shop and would leak the schema into pages.
Status SqliteError(sqlite3* db, std::string_view sql) {
  spdlog::debug("database: {} failed: {}", sql, sqlite3_errmsg(db));
  if ((sqlite3_errcode(db) & 0xFF) == SQLITE_READONLY) {
    const char* file = sqlite3_db_filename(db, "main");
    return Status::IoError(ReadOnlyMessage(file != nullptr ? file : ""));
  }
  return Status::IoError(fmt::format("database: {}", sqlite3_errmsg(db)));
}

// Why the database file `path` cannot be opened for reading and writing, in
// plain words, or "" when nothing is visibly wrong (SQLite then has the last
// word). SQLite itself says only "unable to open database file" for a
// missing directory and fails later, on the first write, for a read-only one.
std::string PathProblem(const std::string& path) {
  if (path.empty() || path == ":memory:") return "";
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::exists(dir, error)) {
    return fmt::format("the database directory {} does not exist", dir.string());
  }
  if (!fs::is_directory(dir, error)) {
    return fmt::format("{} (where the database {} would be) is not a directory", dir.string(),
                       path);
  }
  bool exists = fs::exists(path, error);
  if (exists && ::access(path.c_str(), R_OK | W_OK) != 0) return ReadOnlyMessage(path);
  // The journal (-wal, -shm) and a new database are files of the directory.
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    return exists ? fmt::format(
                        "the database directory {} is read-only; the database {} needs "
                        "to write its journal there (check the directory's permissions)",
                        dir.string(), path)
                  : fmt::format("cannot create the database {}: the directory {} is read-only",
                                path, dir.string());
  }
  return "";
}

}  // namespace

Statement::Statement(Statement&& o) noexcept
    : db_(o.db_), stmt_(o.stmt_), bind_error_(o.bind_error_) {
  o.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    bind_error_ = o.bind_error_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                             SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Result<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) {
    return Status::Internal(fmt::format("database: bind failed: {}", sqlite3_errstr(bind_error_)));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, sqlite3_sql(stmt_));
}

Status Statement::Run() {
  for (;;) {
    Result<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = SQLITE_OK;
}

int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  if (std::string problem = PathProblem(path); !problem.empty()) return Status::IoError(problem);
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    return Status::IoError(fmt::format("cannot open database {}: {}", path, message));
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  if (Status s = db->Configure(); !s.ok()) {
    if (s.message() == ReadOnlyMessage(path)) return s;
    return Status(s.code(), fmt::format("database {}: {}", path, s.message()));
  }
  return db;
}

Status Database::Configure() {
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // WAL: readers (the web server) never block the dispatcher's writes.
  // synchronous=FULL: a committed intent survives power loss, which the
  // exactly-once rules depend on; group commits keep it cheap.
  if (Status s = Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                      " PRAGMA foreign_keys=ON;");
      !s.ok()) {
    return s;
  }
  return ApplyMigrations(*this, AllMigrations());
}

Database::~Database() { sqlite3_close_v2(db_); }

Status Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    bool read_only = (sqlite3_errcode(db_) & 0xFF) == SQLITE_READONLY;
    Status s =
        Status::IoError(read_only ? ReadOnlyMessage(path_)
                                  : fmt::format("database: {}", error ? error : "exec failed"));
    sqlite3_free(error);
    return s;
  }
  return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return SqliteError(db_, sql);
  }
  return Statement(db_, stmt);
}

Result<Statement*> Database::PrepareCached(std::optional<Statement>& slot, std::string_view sql) {
  if (!slot) {
    Result<Statement> prepared = Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    slot.emplace(std::move(*prepared));
  }
  slot->Reset();
  return &*slot;
}

int64_t Database::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

int Database::Changes() const { return sqlite3_changes(db_); }

Result<int> Database::SchemaVersion() {
  Result<Statement> stmt = Prepare("PRAGMA user_version");
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(stmt->ColumnInt(0));
}

Transaction::Transaction(Database& db) : db_(db) {
  begin_status_ = db_.Exec("BEGIN IMMEDIATE");
  open_ = begin_status_.ok();
}

Transaction::~Transaction() {
  // Nothing to report from here: a ROLLBACK that fails finds the transaction
  // already ended by SQLite (as after SQLITE_FULL) or a broken connection,
  // which the caller's next statement reports.
  if (open_) static_cast<void>(db_.Exec("ROLLBACK"));
}

Status Transaction::Commit() {
  if (!open_) return Status::Internal("database: commit without an open transaction");
  Status s = db_.Exec("COMMIT");
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace imeiflow::store
