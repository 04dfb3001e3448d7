#include "store/backup_schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

namespace imeiflow::store {

namespace {

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;

}  // namespace

std::string BackupFileName(int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("imeiflow-{:04}{:02}{:02}-{:02}{:02}{:02}.db", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

std::optional<int64_t> BackupFileTimeMs(const std::string& name) {
  // imeiflow-YYYYMMDD-HHMMSS.db: 9 + 8 + 1 + 6 + 3 characters.
  constexpr std::string_view kPrefix = "imeiflow-";
  if (name.size() != 27 || name.compare(0, kPrefix.size(), kPrefix) != 0 || name[17] != '-' ||
      name.compare(24, 3, ".db") != 0) {
    return std::nullopt;
  }
  auto digits = [&](size_t at, size_t n) -> std::optional<int> {
    int value = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (name[i] < '0' || name[i] > '9') return std::nullopt;
      value = value * 10 + (name[i] - '0');
    }
    return value;
  };
  std::optional<int> year = digits(9, 4), month = digits(13, 2), day = digits(15, 2),
                     hour = digits(18, 2), minute = digits(20, 2), second = digits(22, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  std::tm utc{};
  utc.tm_year = *year - 1900;
  utc.tm_mon = *month - 1;
  utc.tm_mday = *day;
  utc.tm_hour = *hour;
  utc.tm_min = *minute;
  utc.tm_sec = *second;
  std::time_t seconds = timegm(&utc);
  // The round trip refuses impossible dates (month 13, 31 February, ...).
  if (BackupFileName(static_cast<int64_t>(seconds) * 1000) != name) return std::nullopt;
  return static_cast<int64_t>(seconds) * 1000;
}

int64_t NextBackupMs(int64_t now_ms, int minute_of_day, std::optional<int64_t> last_backup_ms) {
  int64_t slot_offset = static_cast<int64_t>(minute_of_day) * 60 * 1000;
  int64_t midnight = now_ms - ((now_ms % kDayMs) + kDayMs) % kDayMs;
  int64_t latest_slot = midnight + slot_offset;
  if (latest_slot > now_ms) latest_slot -= kDayMs;
  // File names keep whole seconds: a backup in the slot's second counts.
  if (!last_backup_ms || *last_backup_ms < latest_slot - latest_slot % 1000) return now_ms;
  return latest_slot + kDayMs;
}

std::vector<std::string> BackupsToRemove(std::vector<std::string> names, int keep) {
  std::erase_if(names, [](const std::string& n) { return !BackupFileTimeMs(n); });
  std::sort(names.begin(), names.end());  // the names sort by time
  if (static_cast<int>(names.size()) <= keep) return {};
  names.resize(names.size() - static_cast<size_t>(std::max(keep, 0)));
  return names;
}

}  // namespace imeiflow::store
