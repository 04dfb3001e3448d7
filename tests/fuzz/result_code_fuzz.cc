// Fuzz target: ParseResultCode on arbitrary bytes never crashes, keeps the
// raw text, and yields only clean values (valid UTF-8, no control
// characters, trimmed) where every known field is the value of some pair.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/result_code.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t length = c < 0x80             ? 1
                    : (c & 0xE0) == 0xC0 ? 2
                    : (c & 0xF0) == 0xE0 ? 3
                    : (c & 0xF8) == 0xF0 ? 4
                                         : 0;
    if (length == 0 || s.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

bool IsClean(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  bool trimmed = s.empty() || (s.front() != ' ' && s.back() != ' ');
  return trimmed && s.find("  ") == std::string_view::npos && IsValidUtf8(s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  imeiflow::ParsedResultCode parsed = imeiflow::ParseResultCode(input);
  Check(parsed.raw == input);
  for (const auto& [key, value] : parsed.pairs) {
    Check(!key.empty() && IsClean(key) && IsClean(value));
  }
  for (const imeiflow::ResultFieldColumn& column : imeiflow::ResultFieldColumns()) {
    const std::string& field = parsed.fields.*column.member;
    if (field.empty()) continue;
    bool from_a_pair = false;
    for (const auto& pair : parsed.pairs) from_a_pair |= pair.second == field;
    Check(from_a_pair && IsClean(field));
  }
  return 0;
}
