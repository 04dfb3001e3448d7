// SessionRepository: the web application's login sessions, kept server side.
// The cookie holds a random 256-bit id; the database holds only its SHA-256
// (web/crypto.h), so a copy of the database does not let anyone log in. A
// session ends when revoked (logout), when idle too long, at its absolute
// age limit, or when its user is disabled. Logins, failed logins and logouts
// are audited here, a login and a logout in the transaction that starts or
// ends the session.
// Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/role.h"
#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// How long sessions live.
struct SessionLimits {
  int64_t idle_ms = 0;     ///< ends when unused this long (web.session_idle_min)
  int64_t max_age_ms = 0;  ///< ends this long after login (web.session_max_hours)
};

/// A valid session with its user.
struct SessionRecord {
  std::string id_hash;        ///< SHA-256 hex of the cookie's id
  int64_t user_id = 0;        ///< its user
  std::string user_name;      ///< the user's name
  Role role = Role::kViewer;  ///< the user's role now (a change applies at once)
  std::string csrf_token;     ///< what every state-changing form must carry
  int64_t created_at = 0;     ///< Unix ms of the login
  int64_t last_seen_at = 0;   ///< Unix ms of the latest Touch()
};

/// A session to store at login.
struct NewSession {
  std::string id_hash;     ///< SHA-256 hex of the cookie's id
  int64_t user_id = 0;     ///< its user
  std::string user_name;   ///< the user's name (the audit row's actor)
  std::string csrf_token;  ///< what every state-changing form must carry
  std::string from;        ///< where the login came from (an address), for the audit row
};

/// Sessions.
class SessionRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit SessionRepository(Database& db) : db_(db) {}

  /// Stores `session` and its "login" audit row, in one transaction.
  Status Create(const NewSession& session, int64_t now_ms);
  /// Audits a refused login ("login_failed") of `typed_name` (what was typed
  /// as the user name) from `from`: a row of its own, nothing else changes.
  Status RecordFailedLogin(std::string_view typed_name, std::string_view from, int64_t now_ms);
  /// The session `id_hash` if it is still valid at `now_ms` under `limits`:
  /// not revoked, used within idle_ms, younger than max_age_ms, its user enabled.
  Result<std::optional<SessionRecord>> FindValid(const std::string& id_hash, int64_t now_ms,
                                                 const SessionLimits& limits);
  /// Records that the session was used at `now_ms`.
  Status Touch(const std::string& id_hash, int64_t now_ms);
  /// Ends the session (idempotent) and, when it was open, audits a "logout"
  /// by `actor`, in one transaction.
  Status Revoke(const std::string& id_hash, std::string_view actor, int64_t now_ms);
  /// Ends every open session of `user_id`, unaudited (the caller audits
  /// why, inside its transaction); returns how many.
  Result<int64_t> RevokeAllOf(int64_t user_id, int64_t now_ms);

 private:
  Database& db_;
};

}  // namespace imeiflow::store
