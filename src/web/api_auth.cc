#include "web/api_auth.h"

#include <strings.h>

#include "store/token_repository.h"

namespace imeiflow::web {

std::optional<std::string_view> BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size() ||
      strncasecmp(authorization.data(), kScheme.data(), kScheme.size()) != 0) {
    return std::nullopt;
  }
  std::string_view token = authorization.substr(kScheme.size());
  size_t first = token.find_first_not_of(' ');
  if (first == std::string_view::npos) return std::nullopt;
  token = token.substr(first, token.find_last_not_of(' ') + 1 - first);
  return token;
}

Result<ApiCaller> AuthenticateBearer(std::string_view authorization, store::Database& db,
                                     int64_t now_ms) {
  if (authorization.empty()) {
    return Status::PermissionDenied(
        "missing bearer token: send the header `Authorization: Bearer <token>` (create a token "
        "with `imeiflow token create --user NAME`)");
  }
  std::optional<std::string_view> token = BearerToken(authorization);
  if (!token) {
    return Status::PermissionDenied("the Authorization header must be `Bearer <token>`");
  }
  Result<store::TokenOwner> owner = store::TokenRepository(db).Authenticate(*token, now_ms);
  if (!owner.ok()) return owner.status();
  return ApiCaller{owner->user_name, owner->role};
}

}  // namespace imeiflow::web
