#include "store/session_repository.h"

#include <fmt/format.h>

#include "store/audit_log.h"
#include "store/user_repository.h"

namespace imeiflow::store {

Status SessionRepository::Create(const NewSession& session, int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<Statement> insert = db_.Prepare(
      "INSERT INTO sessions(id_hash, user_id, csrf_token, created_at, last_seen_at)"
      " VALUES (?1, ?2, ?3, ?4, ?4)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, session.id_hash).Bind(2, session.user_id).Bind(3, session.csrf_token);
  if (Status s = insert->Bind(4, now_ms).Run(); !s.ok()) return s;
  if (Status s = AuditLog(db_).Append(now_ms, session.user_name, "login",
                                      fmt::format("from {}", session.from));
      !s.ok()) {
    return s;
  }
  return tx.Commit();
}

Status SessionRepository::RecordFailedLogin(std::string_view typed_name, std::string_view from,
                                            int64_t now_ms) {
  return AuditLog(db_).Append(now_ms, typed_name, "login_failed", fmt::format("from {}", from));
}

Result<std::optional<SessionRecord>> SessionRepository::FindValid(const std::string& id_hash,
                                                                  int64_t now_ms,
                                                                  const SessionLimits& limits) {
  Result<Statement> stmt = db_.Prepare(
      "SELECT s.id_hash, s.user_id, u.name, u.role, s.csrf_token, s.created_at, s.last_seen_at"
      " FROM sessions s JOIN users u ON u.id = s.user_id"
      " WHERE s.id_hash = ?1 AND s.revoked_at IS NULL AND u.disabled_at IS NULL"
      "   AND s.last_seen_at > ?2 - ?3 AND s.created_at > ?2 - ?4");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id_hash).Bind(2, now_ms).Bind(3, limits.idle_ms).Bind(4, limits.max_age_ms);
  Result<bool> found = stmt->Step();
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<SessionRecord>();
  SessionRecord session;
  session.id_hash = stmt->ColumnText(0);
  session.user_id = stmt->ColumnInt(1);
  session.user_name = stmt->ColumnText(2);
  Result<Role> role = StoredRole(stmt->ColumnText(3), session.user_name);
  if (!role.ok()) return role.status();
  session.role = *role;
  session.csrf_token = stmt->ColumnText(4);
  session.created_at = stmt->ColumnInt(5);
  session.last_seen_at = stmt->ColumnInt(6);
  return std::optional<SessionRecord>(std::move(session));
}

Status SessionRepository::Touch(const std::string& id_hash, int64_t now_ms) {
  Result<Statement> update =
      db_.Prepare("UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) WHERE id_hash = ?1");
  if (!update.ok()) return update.status();
  return update->Bind(1, id_hash).Bind(2, now_ms).Run();
}

Status SessionRepository::Revoke(const std::string& id_hash, std::string_view actor,
                                 int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<Statement> update =
      db_.Prepare("UPDATE sessions SET revoked_at = ?2 WHERE id_hash = ?1 AND revoked_at IS NULL");
  if (!update.ok()) return update.status();
  if (Status s = update->Bind(1, id_hash).Bind(2, now_ms).Run(); !s.ok()) return s;
  if (db_.Changes() > 0) {
    if (Status s = AuditLog(db_).Append(now_ms, actor, "logout", ""); !s.ok()) return s;
  }
  return tx.Commit();
}

Result<int64_t> SessionRepository::RevokeAllOf(int64_t user_id, int64_t now_ms) {
  Result<Statement> update =
      db_.Prepare("UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL");
  if (!update.ok()) return update.status();
  if (Status s = update->Bind(1, user_id).Bind(2, now_ms).Run(); !s.ok()) return s;
  return static_cast<int64_t>(db_.Changes());
}

}  // namespace imeiflow::store
