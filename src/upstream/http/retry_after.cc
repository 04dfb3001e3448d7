#include "upstream/http/retry_after.h"

#include <curl/curl.h>

#include <charconv>
#include <string>

namespace imeiflow::upstream {

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, std::time_t now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    long long seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return std::chrono::seconds(seconds);
  }
  // An HTTP date always names a weekday and a time; refuse bare words that
  // curl_getdate would otherwise accept loosely.
  if (value.find(':') == std::string_view::npos) return std::nullopt;
  std::time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when == -1) return std::nullopt;
  return std::chrono::seconds(when > now ? when - now : 0);
}

}  // namespace imeiflow::upstream
