#include "store/token_repository.h"

#include <fmt/format.h>
#include <sodium.h>

#include <array>

#include "store/audit_log.h"
#include "store/user_repository.h"

namespace imeiflow::store {
namespace {

constexpr size_t kTokenBytes = 32;

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string hex(n * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, n);
  hex.pop_back();  // the terminating NUL sodium_bin2hex writes
  return hex;
}

std::optional<int64_t> OptionalInt(const Statement& row, int column) {
  if (row.ColumnIsNull(column)) return std::nullopt;
  return row.ColumnInt(column);
}

}  // namespace

std::string TokenHash(std::string_view secret) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(secret.data()),
                     secret.size());
  return Hex(digest.data(), digest.size());
}

std::string RandomHex(size_t bytes) {
  // Idempotent and thread-safe; it picks the best random source once.
  if (sodium_init() < 0) std::abort();  // no safe randomness: nothing may go on
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return Hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

Result<NewToken> TokenRepository::Create(std::string_view user_name, std::string_view label,
                                         std::string_view actor, int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<Statement> user = db_.Prepare("SELECT id, disabled_at FROM users WHERE name = ?1");
  if (!user.ok()) return user.status();
  user->Bind(1, user_name);
  Result<bool> found = user->Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound(fmt::format("there is no user \"{}\"", user_name));
  if (!user->ColumnIsNull(1)) {
    return Status::InvalidArgument(fmt::format("user \"{}\" is disabled", user_name));
  }
  int64_t user_id = user->ColumnInt(0);

  NewToken token;
  token.secret = RandomHex(kTokenBytes);
  Result<Statement> insert = db_.Prepare(
      "INSERT INTO api_tokens(user_id, token_hash, label, created_at) VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, user_id).Bind(2, TokenHash(token.secret)).Bind(3, label).Bind(4, now_ms);
  if (Status s = insert->Run(); !s.ok()) return s;
  token.id = db_.LastInsertId();
  std::string detail = fmt::format("token {} for {}", token.id, user_name);
  if (!label.empty()) detail += fmt::format(" ({})", label);
  if (Status s = AuditLog(db_).Append(now_ms, actor, "token.create", detail); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return token;
}

Result<TokenOwner> TokenRepository::Authenticate(std::string_view secret, int64_t now_ms) {
  Result<Statement> row = db_.Prepare(
      "SELECT t.id, u.id, u.name, u.role, t.last_used_at FROM api_tokens t"
      " JOIN users u ON u.id = t.user_id"
      " WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL");
  if (!row.ok()) return row.status();
  row->Bind(1, TokenHash(secret));
  Result<bool> found = row->Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::PermissionDenied("the token is not valid");
  TokenOwner owner;
  owner.token_id = row->ColumnInt(0);
  owner.user_id = row->ColumnInt(1);
  owner.user_name = row->ColumnText(2);
  Result<Role> role = StoredRole(row->ColumnText(3), owner.user_name);
  if (!role.ok()) return role.status();
  owner.role = *role;
  std::optional<int64_t> last_used = OptionalInt(*row, 4);
  // Ends the read before writing: an UPDATE inside a read that another
  // connection has written past since fails at once (SQLITE_BUSY, no wait),
  // where a fresh write waits its turn within the busy timeout.
  row->Reset();
  if (!last_used || now_ms - *last_used >= kTokenLastUsedResolutionMs) {
    Result<Statement> touch = db_.Prepare("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1");
    if (!touch.ok()) return touch.status();
    if (Status s = touch->Bind(1, owner.token_id).Bind(2, now_ms).Run(); !s.ok()) return s;
  }
  return owner;
}

Result<std::vector<TokenInfo>> TokenRepository::List() {
  Result<Statement> rows = db_.Prepare(
      "SELECT t.id, u.name, t.label, t.created_at, t.last_used_at, t.revoked_at"
      " FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id");
  if (!rows.ok()) return rows.status();
  std::vector<TokenInfo> tokens;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return tokens;
    tokens.push_back({rows->ColumnInt(0), rows->ColumnText(1), rows->ColumnText(2),
                      rows->ColumnInt(3), OptionalInt(*rows, 4), OptionalInt(*rows, 5)});
  }
}

Status TokenRepository::Revoke(int64_t id, std::string_view actor, int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<Statement> row = db_.Prepare(
      "SELECT u.name FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?1");
  if (!row.ok()) return row.status();
  row->Bind(1, id);
  Result<bool> found = row->Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound(fmt::format("there is no token {}", id));
  std::string user_name = row->ColumnText(0);
  Result<Statement> revoke =
      db_.Prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
  if (!revoke.ok()) return revoke.status();
  if (Status s = revoke->Bind(1, id).Bind(2, now_ms).Run(); !s.ok()) return s;
  if (db_.Changes() > 0) {
    Status s = AuditLog(db_).Append(now_ms, actor, "token.revoke",
                                    fmt::format("token {} of {}", id, user_name));
    if (!s.ok()) return s;
  }
  return tx.Commit();
}

Result<int64_t> TokenRepository::RevokeAllOf(int64_t user_id, int64_t now_ms) {
  Result<Statement> revoke = db_.Prepare(
      "UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL");
  if (!revoke.ok()) return revoke.status();
  if (Status s = revoke->Bind(1, user_id).Bind(2, now_ms).Run(); !s.ok()) return s;
  return static_cast<int64_t>(db_.Changes());
}

}  // namespace imeiflow::store
