// SettingsRepository: small facts that outlive a process, such as "this
// supplier drops IMEIs from batches". Not thread-safe: one per connection.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// Keys in use.
inline constexpr const char* kOneImeiPerCallSetting = "upstream.one_imei_per_call";

/// Key/value settings.
class SettingsRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit SettingsRepository(Database& db) : db_(db) {}
  /// The value of `key`, if set.
  Result<std::optional<std::string>> Get(const std::string& key);
  /// Sets `key` to `value`.
  Status Set(const std::string& key, const std::string& value);

 private:
  Database& db_;
};

}  // namespace imeiflow::store
