// Redaction: keeping the supplier's secrets (the API key, a password in the
// URL's user-info) out of every text a person or a log may see.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace imeiflow::upstream {

/// What a secret is replaced by.
inline constexpr std::string_view kMasked = "***";

/// `url` with its user-info ("user:password@") shown as "***@", the form in
/// which a URL may be printed or logged; a URL without user-info unchanged.
std::string RedactUrl(std::string_view url);

/// The user-info of `url` ("user:password"), empty when it has none.
std::string_view UrlUserInfo(std::string_view url);

/// Replaces every occurrence of `secret` in `text` by kMasked; an empty
/// secret changes nothing.
void MaskSecret(std::string& text, std::string_view secret);

}  // namespace imeiflow::upstream
