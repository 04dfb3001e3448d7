// Role: what a user of the web application and the API may do.
// "admin" (users, tokens, settings) > "operator" (submit, review, import) >
// "viewer" (read only); each role may do everything the roles below it may.
// Plain values and pure functions: safe from any thread.
#pragma once

#include <optional>
#include <string_view>

namespace imeiflow::web {

/// The roles, weakest first.
enum class Role { kViewer, kOperator, kAdmin };

/// The role named `name` ("viewer", "operator", "admin"), if any.
inline std::optional<Role> ParseRole(std::string_view name) {
  if (name == "viewer") return Role::kViewer;
  if (name == "operator") return Role::kOperator;
  if (name == "admin") return Role::kAdmin;
  return std::nullopt;
}

/// The role's name as stored in the users table.
inline std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kOperator:
      return "operator";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

/// Whether a user holding `have` may do what needs `need`.
inline bool Allows(Role have, Role need) {
  return static_cast<int>(have) >= static_cast<int>(need);
}

}  // namespace imeiflow::web
