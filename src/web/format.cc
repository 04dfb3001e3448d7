#include "web/format.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/time_text.h"

namespace imeiflow::web {

std::string WithThousands(int64_t n) {
  // The magnitude as unsigned, so the most negative value has one too.
  uint64_t magnitude = n < 0 ? static_cast<uint64_t>(-(n + 1)) + 1 : static_cast<uint64_t>(n);
  std::string digits = std::to_string(magnitude);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0) out += ',';
    out += *it;
    ++count;
  }
  if (n < 0) out += '-';
  std::reverse(out.begin(), out.end());
  return out;
}

std::string UtcText(int64_t ms) { return FormatUtc(ms, "%Y-%m-%d %H:%M UTC"); }

std::string AgoText(int64_t then_ms, int64_t now_ms) {
  int64_t seconds = (now_ms - then_ms) / 1000;
  if (seconds < 5) return "just now";
  if (seconds < 60) return fmt::format("{} s ago", seconds);
  if (seconds < 3600) return fmt::format("{} min ago", seconds / 60);
  if (seconds < 86400) return fmt::format("{} h ago", seconds / 3600);
  int64_t days = seconds / 86400;
  return days == 1 ? "1 day ago" : fmt::format("{} days ago", days);
}

std::optional<int64_t> PositiveNumber(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

int64_t ClampedPage(std::string_view text, int64_t rows_total, int64_t per_page) {
  const int64_t pages = std::max<int64_t>(1, (rows_total + per_page - 1) / per_page);
  // Digits beyond int64 ask for a page beyond the last one too.
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == text.npos;
  const int64_t fallback = digits && text.find_first_not_of('0') != text.npos ? pages : 1;
  return std::min(PositiveNumber(text).value_or(fallback), pages);
}

int PercentOf(int64_t part, int64_t whole) {
  if (whole <= 0 || part <= 0) return 0;
  return static_cast<int>(std::min<int64_t>(100, part * 100 / whole));
}

}  // namespace imeiflow::web
