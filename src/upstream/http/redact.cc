#include "upstream/http/redact.h"

namespace imeiflow::upstream {

namespace {

// Where the user-info of `url` starts and how long it is (0: none). The
// authority runs from after "scheme://" (or the start, for the scheme-less
// URLs libcurl accepts) to the first '/', '?' or '#'; its user-info ends at
// the last '@' in it, since a password may itself hold an unescaped '@'.
std::pair<size_t, size_t> UserInfoSpan(std::string_view url) {
  size_t scheme_end = url.find("://");
  size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  size_t end = url.find_first_of("/?#", start);
  if (end == std::string_view::npos) end = url.size();
  size_t at = url.substr(start, end - start).rfind('@');
  if (at == std::string_view::npos) return {start, 0};
  return {start, at};
}

}  // namespace

std::string_view UrlUserInfo(std::string_view url) {
  auto [start, length] = UserInfoSpan(url);
  return url.substr(start, length);
}

std::string RedactUrl(std::string_view url) {
  auto [start, length] = UserInfoSpan(url);
  std::string out(url);
  if (length > 0) out.replace(start, length, kMasked);
  return out;
}

void MaskSecret(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  for (size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kMasked.size())) {
    text.replace(at, secret.size(), kMasked);
  }
}

}  // namespace imeiflow::upstream
