#include "store/settings_repository.h"

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

}  // namespace imeiflow::store
