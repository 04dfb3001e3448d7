// SettingsRepository: small facts that outlive a process, such as "this
// supplier drops IMEIs from batches", and the daily cap an admin set on the
// settings page, which overrides spending.daily_cap of the configuration
// file and is read at every claim (a running dispatcher follows it at once).
// Not thread-safe: one per connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/money.h"
#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// Keys in use.
inline constexpr const char* kOneImeiPerCallSetting = "upstream.one_imei_per_call";
/// The daily cap set on the settings page: JSON {"cents": n or null, "by", "at"}.
inline constexpr const char* kDailyCapSetting = "spending.daily_cap";

/// Where the daily cap in force comes from.
enum class CapSource {
  kNone,    ///< no cap anywhere
  kConfig,  ///< spending.daily_cap of the configuration
  kPage,    ///< set on the settings page (it may say "no cap")
};

/// The daily cap in force.
struct DailyCap {
  std::optional<Money> cap;             ///< none: no cap
  CapSource source = CapSource::kNone;  ///< where it comes from
  std::string set_by;                   ///< kPage: the user who set it
  int64_t set_at = 0;                   ///< kPage: when (Unix ms)
};

/// Key/value settings.
class SettingsRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit SettingsRepository(Database& db) : db_(db) {}
  /// The value of `key`, if set.
  Result<std::optional<std::string>> Get(const std::string& key);
  /// Sets `key` to `value`.
  Status Set(const std::string& key, const std::string& value);
  /// The daily cap in force: the settings page's, else `configured`
  /// (spending.daily_cap; none: no cap).
  Result<DailyCap> DailyCapInForce(const std::optional<Money>& configured);
  /// Stores `cap` (none: no cap) as the page's daily cap, set by `user` at
  /// `now_ms`, with an audit row "settings.daily_cap" saying from -> to, in
  /// one transaction.
  Status SetDailyCap(const std::optional<Money>& cap, const std::optional<Money>& configured,
                     const std::string& user, int64_t now_ms);

 private:
  Database& db_;
};

/// "$500.00", or "no cap".
std::string DailyCapText(const std::optional<Money>& cap);

}  // namespace imeiflow::store
