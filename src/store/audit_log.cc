#include "store/audit_log.h"

namespace imeiflow::store {

Status AuditLog::Append(int64_t at_ms, std::string_view actor, std::string_view action,
                        std::string_view detail) {
  Result<Statement> insert =
      db_.Prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  return insert->Bind(1, at_ms).Bind(2, actor).Bind(3, action).Bind(4, detail).Run();
}

Result<std::vector<AuditEntry>> AuditLog::List(int64_t offset, int64_t limit) {
  Result<Statement> stmt = db_.Prepare(
      "SELECT id, at, actor, action, detail FROM audit ORDER BY id DESC LIMIT ?1 OFFSET ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, limit).Bind(2, offset);
  std::vector<AuditEntry> entries;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    entries.push_back({stmt->ColumnInt(0), stmt->ColumnInt(1), stmt->ColumnText(2),
                       stmt->ColumnText(3), stmt->ColumnText(4)});
  }
  return entries;
}

Result<int64_t> AuditLog::Count() {
  Result<Statement> stmt = db_.Prepare("SELECT count(*) FROM audit");
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return stmt->ColumnInt(0);
}

}  // namespace imeiflow::store
