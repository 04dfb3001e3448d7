#include "store/settings_repository.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/audit_log.h"

namespace imeiflow::store {

Result<std::optional<std::string>> SettingsRepository::Get(const std::string& key) {
  Result<Statement> row = db_.Prepare("SELECT value FROM settings WHERE key = ?1");
  if (!row.ok()) return row.status();
  row->Bind(1, key);
  Result<bool> found = row->Step();
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<std::string>();
  return std::optional<std::string>(row->ColumnText(0));
}

Status SettingsRepository::Set(const std::string& key, const std::string& value) {
  Result<Statement> upsert = db_.Prepare(
      "INSERT INTO settings(key, value) VALUES (?1, ?2)"
      " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!upsert.ok()) return upsert.status();
  return upsert->Bind(1, key).Bind(2, value).Run();
}

Result<DailyCap> SettingsRepository::DailyCapInForce(const std::optional<Money>& configured) {
  Result<std::optional<std::string>> stored = Get(kDailyCapSetting);
  if (!stored.ok()) return stored.status();
  DailyCap in_force;
  if (!stored->has_value()) {
    in_force.cap = configured;
    in_force.source = configured ? CapSource::kConfig : CapSource::kNone;
    return in_force;
  }
  nlohmann::json value = nlohmann::json::parse(**stored, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object() || !value.contains("cents") || !value["by"].is_string() ||
      !value["at"].is_number_integer()) {
    return Status::Internal(
        fmt::format("setting {} is not a daily cap: {}", kDailyCapSetting, **stored));
  }
  if (value["cents"].is_number_integer()) {
    in_force.cap = Money::FromCents(value["cents"].get<int64_t>());
  }
  in_force.source = CapSource::kPage;
  in_force.set_by = value["by"].get<std::string>();
  in_force.set_at = value["at"].get<int64_t>();
  return in_force;
}

Status SettingsRepository::SetDailyCap(const std::optional<Money>& cap,
                                       const std::optional<Money>& configured,
                                       const std::string& user, int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<DailyCap> before = DailyCapInForce(configured);
  if (!before.ok()) return before.status();
  nlohmann::json value = {{"cents", nullptr}, {"by", user}, {"at", now_ms}};
  if (cap) value["cents"] = cap->cents();
  if (Status s = Set(kDailyCapSetting, value.dump()); !s.ok()) return s;
  if (Status s = AuditLog(db_).Append(
          now_ms, user, "settings.daily_cap",
          fmt::format("{} -> {}", DailyCapText(before->cap), DailyCapText(cap)));
      !s.ok()) {
    return s;
  }
  return tx.Commit();
}

std::string DailyCapText(const std::optional<Money>& cap) {
  return cap ? cap->ToDisplay() : "no cap";
}

}  // namespace imeiflow::store
