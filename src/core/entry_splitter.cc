#include "core/entry_splitter.h"

#include <vector>

#include "core/imei.h"

namespace imeiflow {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsHardSeparator(char c, SplitMode mode) {
  switch (c) {
    case '\n':
    case '\r':
    case '\t':
      return true;
    case ',':
    case ';':
      return mode == SplitMode::kText;
    default:
      return false;
  }
}

// Length of the space at s[i]: 1 for ' ', 2 for a UTF-8 no-break space, else 0.
size_t SpaceLength(std::string_view s, size_t i) {
  if (s[i] == ' ') return 1;
  if (s[i] == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') return 2;
  return 0;
}

// True when the comma at text[pos] is the decimal comma of a number in
// scientific notation such as `3,52099E+14`.
bool IsDecimalCommaAt(std::string_view text, size_t pos) {
  if (pos == 0 || !IsDigit(text[pos - 1]) || pos + 1 >= text.size() || !IsDigit(text[pos + 1])) {
    return false;
  }
  size_t start = pos;
  while (start > 0 &&
         (IsDigit(text[start - 1]) || text[start - 1] == '+' || text[start - 1] == '-')) {
    --start;
  }
  size_t end = pos + 1;
  while (end < text.size() && !IsHardSeparator(text[end], SplitMode::kText) &&
         SpaceLength(text, end) == 0) {
    ++end;
  }
  return IsScientificNotation(text.substr(start, end - start));
}

struct Token {
  size_t begin;      // offset in the segment
  size_t end;        // one past the last byte
  size_t digits;     // number of digits
  bool group;        // only digits and dashes, at least one digit
  bool dashes_only;  // only dashes
  bool single_gap;   // separated from the previous token by exactly one space
};

std::vector<Token>& Tokenize(std::string_view seg, std::vector<Token>& tokens) {
  tokens.clear();
  size_t i = 0;
  size_t gap = 0;
  while (i < seg.size()) {
    if (size_t n = SpaceLength(seg, i)) {
      i += n;
      ++gap;
      continue;
    }
    Token t{i, i, 0, true, true, gap == 1};
    while (i < seg.size() && SpaceLength(seg, i) == 0) {
      char c = seg[i];
      if (IsDigit(c)) {
        ++t.digits;
        t.dashes_only = false;
      } else if (c != '-') {
        t.group = false;
        t.dashes_only = false;
      }
      ++i;
    }
    t.end = i;
    t.group = t.group && t.digits > 0;
    tokens.push_back(t);
    gap = 0;
  }
  return tokens;
}

bool IsWholeImeiLength(size_t digits) { return digits >= 14 && digits <= 16; }

void SplitSegment(std::string_view seg, int line, SplitMode mode, std::vector<Token>& scratch,
                  const EntrySink& sink) {
  const std::vector<Token>& tokens = Tokenize(seg, scratch);
  if (tokens.empty()) return;
  if (mode == SplitMode::kCell) {
    // A cell holding words is one value ("not known", "352... (returned)"):
    // one entry, trimmed.
    for (const Token& t : tokens) {
      if (!t.group && !t.dashes_only) {
        sink(line, seg.substr(tokens.front().begin, tokens.back().end - tokens.front().begin));
        return;
      }
    }
  }
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& first = tokens[i];
    if (first.dashes_only) continue;
    size_t end = first.end;
    if (first.group && !IsWholeImeiLength(first.digits)) {
      size_t total = first.digits;
      while (i + 1 < tokens.size()) {
        const Token& next = tokens[i + 1];
        if (!next.group || !next.single_gap || IsWholeImeiLength(next.digits) ||
            total + next.digits > 16) {
          break;
        }
        total += next.digits;
        end = next.end;
        ++i;
      }
    }
    sink(line, seg.substr(first.begin, end - first.begin));
  }
}

}  // namespace

void SplitEntries(std::string_view text, int first_line, SplitMode mode, bool count_lines,
                  const EntrySink& sink) {
  std::vector<Token> scratch;
  int line = first_line;
  size_t pos = 0;
  size_t seg_start = 0;
  while (pos <= text.size()) {
    bool at_end = pos == text.size();
    if (!at_end && !IsHardSeparator(text[pos], mode)) {
      ++pos;
      continue;
    }
    if (!at_end && text[pos] == ',' && IsDecimalCommaAt(text, pos)) {
      ++pos;
      continue;
    }
    if (pos > seg_start)
      SplitSegment(text.substr(seg_start, pos - seg_start), line, mode, scratch, sink);
    if (at_end) break;
    bool line_end = text[pos] == '\n' ||
                    (text[pos] == '\r' && (pos + 1 == text.size() || text[pos + 1] != '\n'));
    if (line_end && count_lines) ++line;
    ++pos;
    seg_start = pos;
  }
}

}  // namespace imeiflow
