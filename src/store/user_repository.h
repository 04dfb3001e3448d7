// UserRepository: the people who may use the web application, with their
// role ("admin", "operator" or "viewer": web/role.h gives them meaning) and
// argon2id password hash (web/password.h makes it). Users are disabled,
// never deleted, so the audit log keeps naming them; disabling revokes
// their sessions and API tokens.
// Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// One user as stored.
struct UserRecord {
  int64_t id = 0;                      ///< row id
  std::string name;                    ///< login name (unique)
  std::string role;                    ///< "admin", "operator" or "viewer"
  std::string password_hash;           ///< "$argon2id$..."
  int64_t created_at = 0;              ///< Unix ms
  std::optional<int64_t> disabled_at;  ///< Unix ms, once disabled
  /// Whether the user may no longer log in.
  bool disabled() const { return disabled_at.has_value(); }
};

/// "" when `name` is acceptable as a login name (1 to 64 characters of
/// letters, digits and . _ @ -), else what is wrong with it.
std::string UserNameProblem(std::string_view name);

/// Users.
class UserRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit UserRepository(Database& db) : db_(db) {}

  /// Adds a user and returns its id. InvalidArgument when the name is not
  /// acceptable, already taken, or the role is unknown.
  Result<int64_t> Add(const std::string& name, const std::string& role,
                      const std::string& password_hash, int64_t now_ms);
  /// The user called `name`, if any.
  Result<std::optional<UserRecord>> FindByName(const std::string& name);
  /// The user with id `id`, if any.
  Result<std::optional<UserRecord>> FindById(int64_t id);
  /// Every user, by name.
  Result<std::vector<UserRecord>> List();
  /// Changes the role of `name`; NotFound when there is no such user.
  Status SetRole(const std::string& name, const std::string& role);
  /// Replaces the password hash of `name`; NotFound when there is no such user.
  Status SetPasswordHash(const std::string& name, const std::string& password_hash);
  /// Disables `name` (idempotent) and, in the same transaction, revokes
  /// every session and API token of theirs for good; NotFound when there is
  /// no such user. Opens its own transaction: not callable inside one.
  Status Disable(const std::string& name, int64_t now_ms);
  /// Enables `name` again (with no session or token: they log in anew and
  /// get new tokens); NotFound when there is no such user.
  Status Enable(const std::string& name);
  /// How many users are enabled admins.
  Result<int64_t> CountActiveAdmins();

 private:
  // Runs `update` (bound, changing the row of `name`); NotFound when no row changed.
  Status RunForUser(Statement& update, const std::string& name);
  Database& db_;
};

}  // namespace imeiflow::store
