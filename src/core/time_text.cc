#include "core/time_text.h"

#include <cstdio>
#include <ctime>

namespace imeiflow {

std::string IsoUtc(int64_t ms) { return FormatUtc(ms, "%Y-%m-%dT%H:%M:%SZ"); }

std::string FormatUtc(int64_t ms, const char* layout) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[128];
  size_t length = std::strftime(text, sizeof text, layout, &tm);
  return std::string(text, length);
}

std::optional<int64_t> ParseIsoUtc(std::string_view text) {
  std::tm tm{};
  int consumed = 0;
  std::string s(text);
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &consumed) !=
      3) {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(s).substr(static_cast<size_t>(consumed));
  if (!rest.empty()) {
    int more = 0;
    if (std::sscanf(s.c_str() + consumed, "T%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
                    &more) != 3) {
      return std::nullopt;
    }
    rest.remove_prefix(static_cast<size_t>(more));
    if (rest != "" && rest != "Z") return std::nullopt;
  }
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

}  // namespace imeiflow
