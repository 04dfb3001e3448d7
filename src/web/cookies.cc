#include "web/cookies.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cctype>

#include "web/crypto.h"

namespace imeiflow::web {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::string> CookieValue(const HttpRequest& request, std::string_view name) {
  auto range = request.headers.equal_range("Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    std::string_view header = it->second;
    while (!header.empty()) {
      size_t end = header.find(';');
      std::string_view pair = Trim(header.substr(0, end));
      header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != name) continue;
      std::string_view value = Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
  }
  return std::nullopt;
}

std::string SetCookieValue(std::string_view name, std::string_view value, bool secure,
                           CookieLifetime lifetime) {
  std::string cookie = fmt::format("{}={}; Path=/; HttpOnly; SameSite=Lax", name, value);
  if (lifetime.max_age_s) cookie += fmt::format("; Max-Age={}", *lifetime.max_age_s);
  if (secure) cookie += "; Secure";
  return cookie;
}

std::string PercentEncode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", byte);
    }
  }
  return out;
}

std::string CookieTextEncode(std::string_view text) {
  EnsureSodium();
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(text.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                    text.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> CookieTextDecode(std::string_view value) {
  EnsureSodium();
  std::string out(value.size(), '\0');
  size_t size = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), value.data(),
                        value.size(), nullptr, &size, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return std::nullopt;
  }
  out.resize(size);
  return out;
}

}  // namespace imeiflow::web
