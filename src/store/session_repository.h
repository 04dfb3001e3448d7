// SessionRepository: the web application's login sessions, kept server side.
// The cookie holds a random 256-bit id; the database holds only its SHA-256
// (web/crypto.h), so a copy of the database does not let anyone log in. A
// session ends when revoked (logout), when idle too long, at its absolute
// age limit, or when its user is disabled.
// Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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
  std::string id_hash;       ///< SHA-256 hex of the cookie's id
  int64_t user_id = 0;       ///< its user
  std::string user_name;     ///< the user's name
  std::string role;          ///< the user's role now (a change applies at once)
  std::string csrf_token;    ///< what every state-changing form must carry
  int64_t created_at = 0;    ///< Unix ms of the login
  int64_t last_seen_at = 0;  ///< Unix ms of the latest Touch()
};

/// Sessions.
class SessionRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit SessionRepository(Database& db) : db_(db) {}

  /// Stores a new session of `user_id`.
  Status Create(const std::string& id_hash, int64_t user_id, const std::string& csrf_token,
                int64_t now_ms);
  /// The session `id_hash` if it is still valid at `now_ms` under `limits`:
  /// not revoked, used within idle_ms, younger than max_age_ms, its user enabled.
  Result<std::optional<SessionRecord>> FindValid(const std::string& id_hash, int64_t now_ms,
                                                 const SessionLimits& limits);
  /// Records that the session was used at `now_ms`.
  Status Touch(const std::string& id_hash, int64_t now_ms);
  /// Ends the session (idempotent).
  Status Revoke(const std::string& id_hash, int64_t now_ms);
  /// Ends every open session of `user_id`; returns how many.
  Result<int64_t> RevokeAllOf(int64_t user_id, int64_t now_ms);

 private:
  Database& db_;
};

}  // namespace imeiflow::store
