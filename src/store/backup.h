// Backup and restore of the shop's database file.
//
// Backup copies a live database (WAL mode, serve still dispatching) with
// SQLite's online backup API in one read snapshot into FILE.partial, checks
// the copy (PRAGMA integrity_check, a schema version this program knows) and
// only then renames it to FILE: FILE is always a whole, checked copy.
// Restore checks the file the same way, refuses a database that another
// process has open (a dispatcher's lock, or any SQLite connection in WAL
// mode), copies it in through DB.partial and keeps the old database as
// DB.before-restore. Errors name the file and what failed.
// Thread-safe: each call opens its own connections.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"

namespace imeiflow::store {

/// Copies the database at `db_path` into `backup_path` (consistent, checked).
Status BackupDatabase(const std::string& db_path, const std::string& backup_path);

/// Checks that `path` is a database this program can open: integrity_check
/// passes and its schema version is one of the known migrations'.
Status CheckBackupFile(const std::string& path);

/// Whether another process has the database at `db_path` open: Unavailable
/// naming who (the dispatcher's pid, or "another process"), else Ok.
Status CheckDatabaseNotInUse(const std::string& db_path);

/// Replaces the database at `db_path` with the checked copy at
/// `backup_path`; the old file is kept as "<db_path>.before-restore".
Status RestoreDatabase(const std::string& backup_path, const std::string& db_path);

/// The time of the newest backup file (store/backup_schedule.h names) in
/// `dir`; nullopt when there is none or the folder cannot be read.
std::optional<int64_t> NewestBackupMs(const std::string& dir);

/// Backs up into `dir`/imeiflow-YYYYMMDD-HHMMSS.db (for `now_ms`), then
/// removes the oldest backup files beyond `keep`. Returns the new file's path.
Result<std::string> BackupIntoFolder(const std::string& db_path, const std::string& dir, int keep,
                                     int64_t now_ms);

}  // namespace imeiflow::store
