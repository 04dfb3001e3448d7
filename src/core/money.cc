#include "core/money.h"

#include <fmt/format.h>

namespace imeiflow {

Result<Money> Money::Parse(std::string_view text) {
  std::string_view s = text;
  auto bad = [&](const char* why) {
    return Status::InvalidArgument(fmt::format("bad amount \"{}\": {}", text, why));
  };
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (!s.empty() && s.front() == '$') s.remove_prefix(1);
  if (s.empty()) return bad("empty");
  if (s.front() == '-') return bad("negative");

  int64_t units = 0;
  size_t i = 0;
  int int_digits = 0;
  for (; i < s.size() && s[i] != '.'; ++i) {
    if (s[i] == ',') continue;  // thousands separator
    if (s[i] < '0' || s[i] > '9') return bad("not a number");
    if (++int_digits > 13) return bad("too large");
    units = units * 10 + (s[i] - '0');
  }
  if (int_digits == 0) return bad("no digits before the decimal point");
  int64_t cents = 0;
  if (i < s.size()) {  // s[i] == '.'
    std::string_view frac = s.substr(i + 1);
    while (!frac.empty() && frac.back() == '0' && frac.size() > 2) frac.remove_suffix(1);
    if (frac.size() > 2) return bad("more precise than a cent");
    for (char c : frac) {
      if (c < '0' || c > '9') return bad("not a number");
    }
    if (frac.size() >= 1) cents += (frac[0] - '0') * 10;
    if (frac.size() == 2) cents += frac[1] - '0';
  }
  return Money(units * 100 + cents);
}

std::string Money::ToDecimal() const {
  int64_t abs = cents_ < 0 ? -cents_ : cents_;
  return fmt::format("{}{}.{:02}", cents_ < 0 ? "-" : "", abs / 100, abs % 100);
}

std::string Money::ToDisplay() const {
  int64_t abs = cents_ < 0 ? -cents_ : cents_;
  std::string units = std::to_string(abs / 100);
  std::string grouped;
  for (size_t i = 0; i < units.size(); ++i) {
    if (i > 0 && (units.size() - i) % 3 == 0) grouped += ',';
    grouped += units[i];
  }
  return fmt::format("{}${}.{:02}", cents_ < 0 ? "-" : "", grouped, abs % 100);
}

}  // namespace imeiflow
