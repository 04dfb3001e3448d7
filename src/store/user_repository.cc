#include "store/user_repository.h"

#include <fmt/format.h>

#include <cctype>

#include "store/audit_log.h"
#include "store/session_repository.h"
#include "store/token_repository.h"

namespace imeiflow::store {
namespace {

constexpr std::string_view kColumns =
    "id, name, role, password_hash, created_at, disabled_at FROM users";

Result<UserRecord> ReadUser(const Statement& row) {
  UserRecord user;
  user.id = row.ColumnInt(0);
  user.name = row.ColumnText(1);
  Result<Role> role = StoredRole(row.ColumnText(2), user.name);
  if (!role.ok()) return role.status();
  user.role = *role;
  user.password_hash = row.ColumnText(3);
  user.created_at = row.ColumnInt(4);
  if (!row.ColumnIsNull(5)) user.disabled_at = row.ColumnInt(5);
  return user;
}

Result<std::optional<UserRecord>> FirstUser(Statement& stmt) {
  Result<bool> found = stmt.Step();
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<UserRecord>();
  Result<UserRecord> user = ReadUser(stmt);
  if (!user.ok()) return user.status();
  return std::optional<UserRecord>(std::move(*user));
}

Status NoSuchUser(const std::string& name) {
  return Status::NotFound(fmt::format("no user called \"{}\"", name));
}

}  // namespace

std::string UserNameProblem(std::string_view name) {
  if (name.empty()) return "the user name is empty";
  if (name.size() > 64) return "the user name is longer than 64 characters";
  for (char c : name) {
    bool allowed =
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '@' || c == '-';
    if (!allowed) {
      return "the user name may hold only letters, digits and . _ @ -";
    }
  }
  return "";
}

Result<Role> StoredRole(std::string_view text, std::string_view user_name) {
  std::optional<Role> role = ParseRole(text);
  if (!role) {
    return Status::Corrupt(fmt::format(
        "user \"{}\" has the unknown role \"{}\" in the database (expected admin, operator "
        "or viewer)",
        user_name, text));
  }
  return *role;
}

Result<int64_t> UserRepository::Add(const std::string& name, Role role,
                                    const std::string& password_hash, std::string_view actor,
                                    int64_t now_ms) {
  if (std::string problem = UserNameProblem(name); !problem.empty()) {
    return Status::InvalidArgument(problem);
  }
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<std::optional<UserRecord>> existing = FindByName(name);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return Status::InvalidArgument(fmt::format("a user called \"{}\" already exists", name));
  }
  Result<Statement> insert = db_.Prepare(
      "INSERT INTO users(name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, name).Bind(2, RoleName(role)).Bind(3, password_hash).Bind(4, now_ms);
  if (Status s = insert->Run(); !s.ok()) return s;
  const int64_t id = db_.LastInsertId();
  if (Status s = AuditLog(db_).Append(now_ms, actor, "user_add",
                                      fmt::format("User {} added as {}", name, RoleName(role)));
      !s.ok()) {
    return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return id;
}

Result<std::optional<UserRecord>> UserRepository::FindByName(const std::string& name) {
  Result<Statement> stmt = db_.Prepare(fmt::format("SELECT {} WHERE name = ?1", kColumns));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, name);
  return FirstUser(*stmt);
}

Result<std::optional<UserRecord>> UserRepository::FindById(int64_t id) {
  Result<Statement> stmt = db_.Prepare(fmt::format("SELECT {} WHERE id = ?1", kColumns));
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  return FirstUser(*stmt);
}

Result<std::vector<UserRecord>> UserRepository::List() {
  Result<Statement> stmt = db_.Prepare(fmt::format("SELECT {} ORDER BY name", kColumns));
  if (!stmt.ok()) return stmt.status();
  std::vector<UserRecord> users;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<UserRecord> user = ReadUser(*stmt);
    if (!user.ok()) return user.status();
    users.push_back(std::move(*user));
  }
  return users;
}

Status UserRepository::SetRole(const std::string& name, Role role, std::string_view actor,
                               int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<UserRecord> user = Existing(name);
  if (!user.ok()) return user.status();
  Result<Statement> update = db_.Prepare("UPDATE users SET role = ?2 WHERE id = ?1");
  if (!update.ok()) return update.status();
  if (Status s = update->Bind(1, user->id).Bind(2, RoleName(role)).Run(); !s.ok()) return s;
  if (Status s = AuditLog(db_).Append(now_ms, actor, "user_role",
                                      fmt::format("User {} is now {}", name, RoleName(role)));
      !s.ok()) {
    return s;
  }
  return tx.Commit();
}

Result<int64_t> UserRepository::SetPassword(const std::string& name,
                                            const std::string& password_hash,
                                            std::string_view actor, int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<UserRecord> user = Existing(name);
  if (!user.ok()) return user.status();
  Result<Statement> update = db_.Prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1");
  if (!update.ok()) return update.status();
  if (Status s = update->Bind(1, user->id).Bind(2, password_hash).Run(); !s.ok()) return s;
  Result<int64_t> ended = SessionRepository(db_).RevokeAllOf(user->id, now_ms);
  if (!ended.ok()) return ended.status();
  if (Status s = AuditLog(db_).Append(
          now_ms, actor, "user_passwd",
          fmt::format("Password of {} changed ({} sessions ended)", name, *ended));
      !s.ok()) {
    return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return *ended;
}

Status UserRepository::Disable(const std::string& name, std::string_view actor, int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<UserRecord> user = Existing(name);
  if (!user.ok()) return user.status();
  Result<Statement> update =
      db_.Prepare("UPDATE users SET disabled_at = coalesce(disabled_at, ?2) WHERE id = ?1");
  if (!update.ok()) return update.status();
  if (Status s = update->Bind(1, user->id).Bind(2, now_ms).Run(); !s.ok()) return s;
  // Revoked, not merely hidden while disabled: enabling the user again must
  // not bring back a cookie or token that may have leaked meanwhile.
  Result<int64_t> sessions = SessionRepository(db_).RevokeAllOf(user->id, now_ms);
  if (!sessions.ok()) return sessions.status();
  Result<int64_t> tokens = TokenRepository(db_).RevokeAllOf(user->id, now_ms);
  if (!tokens.ok()) return tokens.status();
  if (Status s =
          AuditLog(db_).Append(now_ms, actor, "user_disable",
                               fmt::format("User {} disabled: their sessions end now", name));
      !s.ok()) {
    return s;
  }
  return tx.Commit();
}

Status UserRepository::Enable(const std::string& name, std::string_view actor, int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<UserRecord> user = Existing(name);
  if (!user.ok()) return user.status();
  Result<Statement> update = db_.Prepare("UPDATE users SET disabled_at = NULL WHERE id = ?1");
  if (!update.ok()) return update.status();
  if (Status s = update->Bind(1, user->id).Run(); !s.ok()) return s;
  if (Status s =
          AuditLog(db_).Append(now_ms, actor, "user_enable", fmt::format("User {} enabled", name));
      !s.ok()) {
    return s;
  }
  return tx.Commit();
}

Result<int64_t> UserRepository::CountActiveAdmins() {
  Result<Statement> stmt =
      db_.Prepare("SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL");
  if (!stmt.ok()) return stmt.status();
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  return stmt->ColumnInt(0);
}

Result<UserRecord> UserRepository::Existing(const std::string& name) {
  Result<std::optional<UserRecord>> user = FindByName(name);
  if (!user.ok()) return user.status();
  if (!user->has_value()) return NoSuchUser(name);
  return std::move(**user);
}

}  // namespace imeiflow::store
