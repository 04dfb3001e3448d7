// Bearer-token authentication for the JSON API and /metrics: reads
// `Authorization: Bearer <token>` and looks the token up (store
// TokenRepository). The token is never logged or echoed.
// Stateless functions: safe from any thread, each with its own connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/role.h"
#include "core/status.h"
#include "store/database.h"

namespace imeiflow::web {

/// Who a request acts as.
struct ApiCaller {
  std::string user_name;      ///< the token's user
  Role role = Role::kViewer;  ///< the user's role
};

/// The token in an Authorization header value ("Bearer <token>", the scheme
/// in any case), or nothing when the header is not of that form.
std::optional<std::string_view> BearerToken(std::string_view authorization);

/// The caller of a request whose Authorization header is `authorization`
/// (empty when absent): kPermissionDenied when the header is missing,
/// malformed or the token is not valid (the message says which, never the
/// token); other codes when the database fails.
Result<ApiCaller> AuthenticateBearer(std::string_view authorization, store::Database& db,
                                     int64_t now_ms);

}  // namespace imeiflow::web
