// Cookies and form fields of HTTP requests: reading a cookie from the Cookie
// header, writing Set-Cookie values with the flags imeiflow always uses
// (HttpOnly, SameSite=Lax, Path=/, Secure under TLS), encodings for URLs
// and cookie values, and reading a form field whether the form was url-encoded
// or multipart. Pure functions: safe from any thread.
#pragma once

#include "web/http.h"

#include <optional>
#include <string>
#include <string_view>

namespace imeiflow::web {

/// The value of cookie `name` in the request's Cookie header(s), if present.
std::optional<std::string> CookieValue(const HttpRequest& request, std::string_view name);

/// How long a cookie lives.
struct CookieLifetime {
  /// Seconds; empty: until the browser closes; 0: delete now.
  std::optional<int64_t> max_age_s;
};

/// A Set-Cookie header value: HttpOnly, SameSite=Lax, Path=/, plus Secure
/// when `secure` (the server speaks TLS).
std::string SetCookieValue(std::string_view name, std::string_view value, bool secure,
                           CookieLifetime lifetime = {});

/// `text` with every byte outside [A-Za-z0-9-._~] as %XX (safe in a cookie).
std::string PercentEncode(std::string_view text);

/// `text` as unpadded base64url: a cookie value no HTTP library decodes
/// on the way (httplib decodes %XX in header values it reads).
std::string CookieTextEncode(std::string_view text);

/// Reverses CookieTextEncode; nullopt when `value` is not base64url.
std::optional<std::string> CookieTextDecode(std::string_view value);


}  // namespace imeiflow::web
