// UserRepository: the people who may use the web application, with their
// role (core/role.h; stored by name, parsed once here) and argon2id password
// hash (web/password.h makes it). Users are disabled, never deleted, so the
// audit log keeps naming them; disabling revokes their sessions and API
// tokens. Every change writes its audit row (by `actor`) in the same
// transaction (each opens its own: not callable inside one), for the web
// and the CLI alike: a change that cannot be audited is not made.
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

/// One user as stored.
struct UserRecord {
  int64_t id = 0;                      ///< row id
  std::string name;                    ///< login name (unique)
  Role role = Role::kViewer;           ///< what they may do
  std::string password_hash;           ///< "$argon2id$..."
  int64_t created_at = 0;              ///< Unix ms
  std::optional<int64_t> disabled_at;  ///< Unix ms, once disabled
  /// Whether the user may no longer log in.
  bool disabled() const { return disabled_at.has_value(); }
};

/// "" when `name` is acceptable as a login name (1 to 64 characters of
/// letters, digits and . _ @ -), else what is wrong with it.
std::string UserNameProblem(std::string_view name);

/// The role stored as `text` for user `user_name`: Corrupt, naming both,
/// when it is not a role (for every repository that reads users.role).
Result<Role> StoredRole(std::string_view text, std::string_view user_name);

/// Users.
class UserRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit UserRepository(Database& db) : db_(db) {}

  /// Adds a user and returns its id, audited as `actor` ("user_add").
  /// InvalidArgument when the name is not acceptable or already taken.
  Result<int64_t> Add(const std::string& name, Role role, const std::string& password_hash,
                      std::string_view actor, int64_t now_ms);
  /// The user called `name`, if any. Corrupt when its stored role is unknown.
  Result<std::optional<UserRecord>> FindByName(const std::string& name);
  /// The user with id `id`, if any.
  Result<std::optional<UserRecord>> FindById(int64_t id);
  /// Every user, by name.
  Result<std::vector<UserRecord>> List();
  /// Changes the role of `name`, audited as `actor` ("user_role"); NotFound
  /// when there is no such user.
  Status SetRole(const std::string& name, Role role, std::string_view actor, int64_t now_ms);
  /// Replaces the password hash of `name` and ends their open sessions
  /// (whoever knew the old one is out), audited as `actor` ("user_passwd");
  /// returns how many sessions ended. NotFound when there is no such user.
  Result<int64_t> SetPassword(const std::string& name, const std::string& password_hash,
                              std::string_view actor, int64_t now_ms);
  /// Disables `name` (idempotent) and revokes every session and API token
  /// of theirs for good, audited as `actor` ("user_disable"); NotFound when
  /// there is no such user.
  Status Disable(const std::string& name, std::string_view actor, int64_t now_ms);
  /// Enables `name` again (with no session or token: they log in anew and
  /// get new tokens), audited as `actor` ("user_enable"); NotFound when
  /// there is no such user.
  Status Enable(const std::string& name, std::string_view actor, int64_t now_ms);
  /// How many users are enabled admins.
  Result<int64_t> CountActiveAdmins();

 private:
  // The user called `name`, or NotFound.
  Result<UserRecord> Existing(const std::string& name);
  Database& db_;
};

}  // namespace imeiflow::store
