#include "store/backup.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "store/backup_schedule.h"
#include "store/dispatcher_lock.h"
#include "store/migrations.h"

namespace imeiflow::store {

namespace {

namespace fs = std::filesystem;

// How long the backup's connections wait for a writer's lock.
constexpr int kBusyTimeoutMs = 10000;

struct ConnectionCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;

// What a failed SQLite call means, in words a shop understands.
std::string SqliteFailure(int code, sqlite3* db) {
  switch (code & 0xff) {
    case SQLITE_FULL:
      return "disk full";
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return "not writable";
    case SQLITE_CANTOPEN:
      return "cannot be opened";
    case SQLITE_NOTADB:
      return "not a database";
    case SQLITE_CORRUPT:
      return "damaged (corrupt)";
    default:
      return db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  }
}

Result<Connection> OpenConnection(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) {
    return Status::IoError(fmt::format("{}: {}", path, SqliteFailure(rc, nullptr)));
  }
  sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
  return db;
}

// The first column of the first row of `sql`, as text.
Result<std::string> QueryText(sqlite3* db, const std::string& path, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  std::string text;
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* value = sqlite3_column_text(stmt, 0);
      text = value ? reinterpret_cast<const char*>(value) : "";
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK && rc != SQLITE_DONE) {
    return Status::IoError(fmt::format("{}: {}", path, SqliteFailure(rc, db)));
  }
  return text;
}

// The copy's checks: integrity, then a schema version this program knows.
Status CheckConnection(sqlite3* db, const std::string& path) {
  Result<std::string> integrity = QueryText(db, path, "PRAGMA integrity_check");
  if (!integrity.ok()) return integrity.status();
  if (*integrity != "ok") {
    return Status::Corrupt(fmt::format("{}: integrity check failed: {}", path, *integrity));
  }
  Result<std::string> version = QueryText(db, path, "PRAGMA user_version");
  if (!version.ok()) return version.status();
  int schema = std::atoi(version->c_str());
  int newest = AllMigrations().back().version;
  if (schema < 1) {
    return Status::InvalidArgument(fmt::format("{}: not an imeiflow database (no schema)", path));
  }
  if (schema > newest) {
    return Status::InvalidArgument(fmt::format(
        "{}: this database was written by a newer imeiflow (schema {}, this binary knows up to "
        "{}): upgrade imeiflow",
        path, schema, newest));
  }
  return Status::Ok();
}

// Whether the folder that will hold `path` exists and can be written.
Status CheckTargetFolder(const std::string& path) {
  fs::path folder = fs::path(path).parent_path();
  if (folder.empty()) folder = ".";
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    return Status::NotFound(fmt::format("{}: directory {} does not exist", path, folder.string()));
  }
  if (access(folder.c_str(), W_OK) != 0) {
    return Status::PermissionDenied(
        fmt::format("{}: directory {} is not writable", path, folder.string()));
  }
  return Status::Ok();
}

// Copies every page of `from` into a new file at `to` in one step (one read
// snapshot of `from`), leaves it in rollback-journal mode so that the copy is
// one self-contained file, and checks it.
Status CopyInto(const std::string& from, const std::string& to) {
  std::error_code ec;
  fs::remove(to, ec);
  Result<Connection> source = OpenConnection(from, SQLITE_OPEN_READONLY);
  if (!source.ok()) return source.status();
  Result<Connection> dest = OpenConnection(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!dest.ok()) return dest.status();
  sqlite3_backup* backup = sqlite3_backup_init(dest->get(), "main", source->get(), "main");
  if (backup == nullptr) {
    return Status::IoError(
        fmt::format("{}: copy could not start: {}", to, SqliteFailure(sqlite3_errcode(dest->get()),
                                                                      dest->get())));
  }
  int rc = sqlite3_backup_step(backup, -1);  // -1: every page, one read transaction
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return Status::IoError(fmt::format("{}: copy failed: {}", to, SqliteFailure(rc, dest->get())));
  }
  if (Result<std::string> mode = QueryText(dest->get(), to, "PRAGMA journal_mode = DELETE");
      !mode.ok()) {
    return mode.status();
  }
  return CheckConnection(dest->get(), to);
}

// Renames, saying which file could not be renamed and why.
Status Rename(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) != 0) {
    return Status::IoError(
        fmt::format("{}: could not rename {} to it: {}", to, from, std::strerror(errno)));
  }
  return Status::Ok();
}

// Every SQLite connection to a WAL database holds a shared lock on the
// "DMS" byte of its -shm file for as long as it is open (SQLite's os_unix.c:
// byte 128, after the 120 bytes of header and 8 lock slots). A lock there
// held by any other process means the database is open.
Status CheckNoOtherConnection(const std::string& db_path) {
  std::string shm = db_path + "-shm";
  int fd = open(shm.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Ok();  // no -shm file: no connection in WAL mode
  struct flock probe {};
  probe.l_type = F_WRLCK;
  probe.l_whence = SEEK_SET;
  probe.l_start = 128;
  probe.l_len = 1;
  int rc = fcntl(fd, F_GETLK, &probe);
  close(fd);
  if (rc == 0 && probe.l_type != F_UNLCK) {
    return Status::Unavailable(fmt::format(
        "{} is in use by process {} (stop imeiflow serve or work first)", db_path, probe.l_pid));
  }
  return Status::Ok();
}

// The dispatcher lock, held while the files move so no dispatcher starts.
Result<std::unique_ptr<DispatcherLock>> LockOutDispatchers(const std::string& db_path) {
  Result<std::unique_ptr<DispatcherLock>> lock = DispatcherLock::Acquire(db_path);
  if (!lock.ok()) {
    return Status::Unavailable(fmt::format("{} is in use: {}", db_path, lock.status().message()));
  }
  return lock;
}

}  // namespace

Status BackupDatabase(const std::string& db_path, const std::string& backup_path) {
  std::error_code ec;
  if (!fs::exists(db_path, ec)) {
    return Status::NotFound(fmt::format("{}: database does not exist", db_path));
  }
  if (Status s = CheckTargetFolder(backup_path); !s.ok()) return s;
  std::string partial = backup_path + ".partial";
  Status copied = CopyInto(db_path, partial);
  if (copied.ok()) copied = Rename(partial, backup_path);
  if (!copied.ok()) fs::remove(partial, ec);
  return copied;
}

Status CheckBackupFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Status::NotFound(fmt::format("{}: no such file", path));
  }
  Result<Connection> db = OpenConnection(path, SQLITE_OPEN_READONLY);
  if (!db.ok()) return db.status();
  return CheckConnection(db->get(), path);
}

Status CheckDatabaseNotInUse(const std::string& db_path) {
  Result<std::unique_ptr<DispatcherLock>> lock = LockOutDispatchers(db_path);
  if (!lock.ok()) return lock.status();
  return CheckNoOtherConnection(db_path);
}

Status RestoreDatabase(const std::string& backup_path, const std::string& db_path) {
  if (Status s = CheckBackupFile(backup_path); !s.ok()) return s;
  if (Status s = CheckTargetFolder(db_path); !s.ok()) return s;
  Result<std::unique_ptr<DispatcherLock>> lock = LockOutDispatchers(db_path);
  if (!lock.ok()) return lock.status();
  if (Status s = CheckNoOtherConnection(db_path); !s.ok()) return s;
  std::string partial = db_path + ".partial";
  std::error_code ec;
  if (Status s = CopyInto(backup_path, partial); !s.ok()) {
    fs::remove(partial, ec);
    return s;
  }
  if (fs::exists(db_path, ec)) {
    std::string kept = db_path + ".before-restore";
    // The old database with its write-ahead log, so the kept copy is whole.
    for (const char* suffix : {"", "-wal"}) {
      if (fs::exists(db_path + suffix, ec)) {
        if (Status s = Rename(db_path + suffix, kept + suffix); !s.ok()) return s;
      }
    }
    fs::remove(db_path + "-shm", ec);  // no connection is open (checked above)
  }
  return Rename(partial, db_path);
}

namespace {

// The names of the files in `dir` ("" entries never; empty when unreadable).
std::vector<std::string> FileNames(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  return names;
}

}  // namespace

std::optional<int64_t> NewestBackupMs(const std::string& dir) {
  std::optional<int64_t> newest;
  for (const std::string& name : FileNames(dir)) {
    std::optional<int64_t> ms = BackupFileTimeMs(name);
    if (ms && (!newest || *ms > *newest)) newest = ms;
  }
  return newest;
}

Result<std::string> BackupIntoFolder(const std::string& db_path, const std::string& dir, int keep,
                                     int64_t now_ms) {
  std::string file = (fs::path(dir) / BackupFileName(now_ms)).string();
  if (Status s = BackupDatabase(db_path, file); !s.ok()) return s;
  for (const std::string& old : BackupsToRemove(FileNames(dir), keep)) {
    std::error_code ec;
    fs::remove(fs::path(dir) / old, ec);
    if (ec) {
      return Status::IoError(fmt::format("{}: could not remove an old backup: {}",
                                         (fs::path(dir) / old).string(), ec.message()));
    }
  }
  return file;
}

}  // namespace imeiflow::store
