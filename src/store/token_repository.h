// TokenRepository: API bearer tokens of the web application's users.
//
// A token is 32 random bytes (libsodium) shown once as 64 lowercase hex
// characters; only its SHA-256 hex digest is stored, so a copy of the
// database does not give API access. Creating and revoking a token write an
// audit row (never the token) in the same transaction. Authenticating
// refreshes `last_used_at` at most once a minute, so that read requests do
// not each take the database's write lock.
// Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/role.h"
#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// A token just created: the only time its secret is known.
struct NewToken {
  int64_t id = 0;      ///< the token's id (for list and revoke)
  std::string secret;  ///< 64 lowercase hex characters
};

/// Who a valid token belongs to.
struct TokenOwner {
  int64_t token_id = 0;       ///< the token used
  int64_t user_id = 0;        ///< its user
  std::string user_name;      ///< the user's name
  Role role = Role::kViewer;  ///< what the user may do
};

/// A token as listed: everything but the secret.
struct TokenInfo {
  int64_t id = 0;                       ///< token id
  std::string user_name;                ///< its user
  std::string label;                    ///< what it is for, as given at creation
  int64_t created_at = 0;               ///< Unix ms
  std::optional<int64_t> last_used_at;  ///< Unix ms (to the minute), if ever used
  std::optional<int64_t> revoked_at;    ///< Unix ms, when revoked
};

/// How stale `last_used_at` may get before Authenticate writes it again.
inline constexpr int64_t kTokenLastUsedResolutionMs = 60'000;

/// The api_tokens table.
class TokenRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit TokenRepository(Database& db) : db_(db) {}

  /// Creates a token for user `user_name` (who must exist and not be
  /// disabled), audited as `actor`; the secret is returned only here.
  Result<NewToken> Create(std::string_view user_name, std::string_view label,
                          std::string_view actor, int64_t now_ms);
  /// The owner of `secret`: PermissionDenied when the token is unknown, revoked
  /// or its user is disabled (one message for all three, so a caller learns
  /// nothing about which tokens exist).
  Result<TokenOwner> Authenticate(std::string_view secret, int64_t now_ms);
  /// Every token, oldest first, without secrets.
  Result<std::vector<TokenInfo>> List();
  /// Revokes token `id`, audited as `actor`; NotFound when there is no such
  /// token. Revoking a revoked token keeps its first revocation time.
  Status Revoke(int64_t id, std::string_view actor, int64_t now_ms);
  /// Revokes every token of `user_id` not yet revoked, unaudited (the caller
  /// audits why: UserRepository::Disable, inside its transaction); returns
  /// how many.
  Result<int64_t> RevokeAllOf(int64_t user_id, int64_t now_ms);

 private:
  Database& db_;
};

/// `secret`'s SHA-256 digest as 64 lowercase hex characters (what is stored).
std::string TokenHash(std::string_view secret);

/// `bytes` random bytes from libsodium as lowercase hex.
std::string RandomHex(size_t bytes);

}  // namespace imeiflow::store
