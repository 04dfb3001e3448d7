#include "core/imei.h"

#include <string>

namespace imeiflow {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Spaces, tabs, no-break spaces (UTF-8 C2 A0) and dashes join printed digit
// groups; they are dropped before counting digits.
size_t GroupSeparatorLength(std::string_view s, size_t i) {
  char c = s[i];
  if (c == ' ' || c == '\t' || c == '-') return 1;
  if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') return 2;
  return 0;
}

// The digits of `raw` without group separators; `other` is set to the first
// character that is neither (0 when there is none), `letters` when any ASCII
// letter occurs.
std::string CollectDigits(std::string_view raw, char* other, bool* letters) {
  std::string digits;
  *other = 0;
  *letters = false;
  for (size_t i = 0; i < raw.size();) {
    char c = raw[i];
    if (IsDigit(c)) {
      digits.push_back(c);
      ++i;
    } else if (size_t n = GroupSeparatorLength(raw, i)) {
      i += n;
    } else {
      if (IsAsciiLetter(c)) *letters = true;
      if (*other == 0) *other = c;
      ++i;
    }
  }
  return digits;
}

std::string DescribeCharacter(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7F) return std::string("'") + c + "'";
  return "characters other than digits";
}

NormalizedImei Invalid(std::string reason) {
  return {ImeiVerdict::kInvalid, std::string(), std::move(reason)};
}

}  // namespace

bool LuhnValid(std::string_view digits) {
  if (digits.size() != 15) return false;
  for (char c : digits) {
    if (!IsDigit(c)) return false;
  }
  return CheckDigit(digits) == digits[14];
}

char CheckDigit(std::string_view digits) {
  // Luhn: from the right of the 14 payload digits, double every other one
  // starting with the rightmost (position 13, 11, ...).
  int sum = 0;
  for (int i = 0; i < 14; ++i) {
    int d = digits[i] - '0';
    if (i % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

bool IsScientificNotation(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t mantissa_start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == mantissa_start) return false;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
  }
  if (i >= s.size() || (s[i] != 'e' && s[i] != 'E')) return false;
  ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t exponent_start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  return i > exponent_start && i == s.size();
}

bool LooksLikeImei(std::string_view text) {
  if (IsScientificNotation(text)) return true;
  char other;
  bool letters;
  std::string digits = CollectDigits(text, &other, &letters);
  return other == 0 && digits.size() >= 14 && digits.size() <= 16;
}

NormalizedImei NormalizeImei(std::string_view raw) {
  // Fast path for the common case: exactly 15 digits.
  if (raw.size() == 15 && LuhnValid(raw)) {
    return {ImeiVerdict::kValid, std::string(raw), std::string()};
  }
  if (IsScientificNotation(raw)) {
    return Invalid(
        "a number in scientific notation: the spreadsheet dropped digits; format the IMEI "
        "column as Text, then re-enter or re-export the IMEIs");
  }
  char other;
  bool letters;
  std::string digits = CollectDigits(raw, &other, &letters);
  if (letters) return Invalid("contains letters: an IMEI has 15 digits only");
  if (other != 0) {
    return Invalid("contains " + DescribeCharacter(other) + ": an IMEI has 15 digits only");
  }
  switch (digits.size()) {
    case 14:
      digits.push_back(CheckDigit(digits));
      return {ImeiVerdict::kCompleted, std::move(digits), std::string()};
    case 15:
      if (CheckDigit(digits) == digits[14]) {
        return {ImeiVerdict::kValid, std::move(digits), std::string()};
      }
      return Invalid(std::string("check digit should be ") + CheckDigit(digits) + ", not " +
                     digits[14] + ": a digit was mistyped");
    case 16:
      return Invalid(
          "16 digits: looks like an IMEISV (IMEI + software version); enter the 15-digit IMEI");
    default:
      return Invalid(std::to_string(digits.size()) + (digits.size() == 1 ? " digit" : " digits") +
                     ": an IMEI has 15");
  }
}

}  // namespace imeiflow
