// When `serve` takes its daily backup, what the files are called and which
// old ones go: pure functions of the clock's time and the folder's file
// names, so tests set the time instead of waiting for it. The last backup is
// read from the newest file's name, so a run missed while serve was stopped
// is taken as soon as it starts again. Thread-safe (pure).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace imeiflow::store {

/// "imeiflow-YYYYMMDD-HHMMSS.db" for a backup taken at `ms` (UTC).
std::string BackupFileName(int64_t ms);

/// The time (UTC, whole seconds) in a name made by BackupFileName; nullopt
/// for any other name.
std::optional<int64_t> BackupFileTimeMs(const std::string& name);

/// When the next backup is due (Unix ms): now when the latest daily slot at
/// `minute_of_day` (UTC) up to `now_ms` has no backup at or after it
/// (including a run missed while serve was stopped), else the next slot.
/// `last_backup_ms`: the newest backup's time, nullopt when there is none.
int64_t NextBackupMs(int64_t now_ms, int minute_of_day, std::optional<int64_t> last_backup_ms);

/// The backup files among `names` to remove so that the `keep` newest
/// remain, oldest first; names that are not backup files are never listed.
std::vector<std::string> BackupsToRemove(std::vector<std::string> names, int keep);

}  // namespace imeiflow::store
