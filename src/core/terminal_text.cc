#include "core/terminal_text.h"

#include <fmt/format.h>

#include <optional>

#include "core/utf8.h"

namespace imeiflow {
namespace {

bool IsBidiControl(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

}  // namespace

std::string TerminalSafe(std::string_view text, LineBreaks line_breaks) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    std::optional<Utf8Char> c = DecodeUtf8(text, i);
    if (!c) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    char32_t cp = c->code_point;
    bool kept_break = line_breaks == LineBreaks::kKeep && (cp == '\n' || cp == '\r');
    if (cp < 0x80 && IsControl(cp) && !kept_break) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
    } else if (cp >= 0x80 && (IsControl(cp) || IsBidiControl(cp))) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    } else {
      out.append(text.substr(i, c->length));
    }
    i += c->length;
  }
  return out;
}

}  // namespace imeiflow
