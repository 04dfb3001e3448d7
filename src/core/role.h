// Role: what a user of the web application may do. Roles are ordered:
// admin (users, tokens, settings) > operator (submit, review, import) >
// viewer (read only); a higher role may do everything a lower one may. The
// store parses a stored role once, when it reads a user, session or token
// row; everything above it handles the enum.
// Plain values and pure functions: safe from any thread.
#pragma once

#include <optional>
#include <string_view>

namespace imeiflow {

/// A user's role, lowest first.
enum class Role { kViewer, kOperator, kAdmin };

/// Parses "viewer", "operator" or "admin" (exactly, lower case).
std::optional<Role> ParseRole(std::string_view text);

/// "viewer", "operator" or "admin": the name stored in the database.
std::string_view RoleName(Role role);

/// Whether a user with role `have` may do what needs role `need`.
bool Allows(Role have, Role need);

}  // namespace imeiflow
