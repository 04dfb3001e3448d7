#include "core/result_code.h"

#include <array>
#include <cstdint>
#include <optional>

#include "core/utf8.h"

namespace imeiflow {
namespace {

constexpr std::array<ResultFieldColumn, 11> kColumns = {{
    {"model", &ResultFields::model},
    {"imei", &ResultFields::imei},
    {"imei2", &ResultFields::imei2},
    {"serial", &ResultFields::serial},
    {"meid", &ResultFields::meid},
    {"carrier", &ResultFields::carrier},
    {"simlock", &ResultFields::simlock},
    {"fmi", &ResultFields::fmi},
    {"gsma_status", &ResultFields::gsma_status},
    {"purchase_date", &ResultFields::purchase_date},
    {"applecare", &ResultFields::applecare},
}};

/// A key as suppliers write it, normalised (see NormalizeKey), and its field.
struct KeyAlias {
  std::string_view normalized_key;
  std::string ResultFields::*member;
};

// "IMEI 2", "SIM Lock" and "Sim-Lock Status" normalise to entries below.
constexpr std::array<KeyAlias, 30> kAliases = {{
    {"model", &ResultFields::model},
    {"modeldescription", &ResultFields::model},
    {"device", &ResultFields::model},
    {"imei", &ResultFields::imei},
    {"imeinumber", &ResultFields::imei},
    {"imei1", &ResultFields::imei},
    {"imei2", &ResultFields::imei2},
    {"imei2number", &ResultFields::imei2},
    {"serial", &ResultFields::serial},
    {"serialnumber", &ResultFields::serial},
    {"sn", &ResultFields::serial},
    {"meid", &ResultFields::meid},
    {"meidnumber", &ResultFields::meid},
    {"carrier", &ResultFields::carrier},
    {"network", &ResultFields::carrier},
    {"lockedcarrier", &ResultFields::carrier},
    {"soldby", &ResultFields::carrier},
    {"simlock", &ResultFields::simlock},
    {"simlockstatus", &ResultFields::simlock},
    {"findmyiphone", &ResultFields::fmi},
    {"fmi", &ResultFields::fmi},
    {"icloudlock", &ResultFields::fmi},
    {"fmistatus", &ResultFields::fmi},
    {"currentgsmastatus", &ResultFields::gsma_status},
    {"gsmastatus", &ResultFields::gsma_status},
    {"blackliststatus", &ResultFields::gsma_status},
    {"estimatedpurchasedate", &ResultFields::purchase_date},
    {"purchasedate", &ResultFields::purchase_date},
    {"applecareeligible", &ResultFields::applecare},
    {"applecare", &ResultFields::applecare},
}};

// Bounds that keep parsing linear on hostile input.
constexpr size_t kMaxTagLength = 256;    // "<font color=...>" and the like
constexpr size_t kMaxEntityLength = 10;  // "&#x10FFFF;" is the longest we decode
constexpr size_t kMaxKeyLength = 48;     // longer text before a colon is a value

constexpr char32_t kReplacement = 0xFFFD;

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

/// Appends one character of decoded text. Line breaks become '\n' (a pair
/// separator); other control characters and no-break spaces become ' ', so
/// values are safe to put in CSV cells and pages; invalid code points become
/// U+FFFD.
void AppendText(std::string& out, char32_t cp) {
  if (cp == '\n' || cp == '\r') {
    out += '\n';
  } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xA0) {
    out += ' ';
  } else if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    AppendUtf8(out, kReplacement);
  } else {
    AppendUtf8(out, cp);
  }
}

/// The code point of an entity body ("amp", "#39", "#x27"), or nullopt.
std::optional<char32_t> EntityCodePoint(std::string_view body) {
  static constexpr std::array<std::pair<std::string_view, char32_t>, 6> kNamed = {
      {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0}}};
  for (const auto& [name, cp] : kNamed) {
    if (body == name) return cp;
  }
  if (body.size() < 2 || body[0] != '#') return std::nullopt;
  bool hex = body[1] == 'x' || body[1] == 'X';
  std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty()) return std::nullopt;
  char32_t cp = 0;
  for (char c : digits) {
    int digit;
    if (IsAsciiDigit(c)) {
      digit = c - '0';
    } else if (hex && AsciiLower(c) >= 'a' && AsciiLower(c) <= 'f') {
      digit = AsciiLower(c) - 'a' + 10;
    } else {
      return std::nullopt;
    }
    cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(digit);
    if (cp > 0x10FFFF) return kReplacement;  // also stops overflow
  }
  return cp == 0 ? kReplacement : cp;
}

/// If an HTML tag starts at text[i], its length and whether it is a line
/// break (<br>, <br/>, <BR />); else nullopt and the '<' is plain text.
std::optional<std::pair<size_t, bool>> MatchTag(std::string_view text, size_t i) {
  size_t name_start = i + 1;
  if (name_start < text.size() && text[name_start] == '/') ++name_start;
  if (name_start >= text.size() || !IsAsciiAlpha(text[name_start])) return std::nullopt;
  std::string_view window = text.substr(i + 1, kMaxTagLength);
  size_t close = window.find_first_of("<>");
  if (close == std::string_view::npos || window[close] != '>') return std::nullopt;
  size_t name_end = name_start;
  while (name_end < text.size() && (IsAsciiAlpha(text[name_end]) || IsAsciiDigit(text[name_end]))) {
    ++name_end;
  }
  std::string_view name = text.substr(name_start, name_end - name_start);
  bool line_break = name.size() == 2 && AsciiLower(name[0]) == 'b' && AsciiLower(name[1]) == 'r';
  return std::pair<size_t, bool>{close + 2, line_break};
}

/// Turns the raw code into plain, valid UTF-8 text: tags stripped (line
/// breaks kept as '\n'), entities decoded, bad bytes replaced.
std::string PlainText(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    char c = raw[i];
    if (c == '<') {
      if (auto tag = MatchTag(raw, i)) {
        if (tag->second) out += '\n';
        i += tag->first;
        continue;
      }
    } else if (c == '&') {
      size_t semicolon = raw.substr(i + 1, kMaxEntityLength + 1).find(';');
      if (semicolon != std::string_view::npos) {
        if (auto cp = EntityCodePoint(raw.substr(i + 1, semicolon))) {
          AppendText(out, *cp);
          i += semicolon + 2;
          continue;
        }
      }
    }
    if (auto decoded = DecodeUtf8(raw, i)) {
      AppendText(out, decoded->code_point);
      i += decoded->length;
    } else {
      AppendText(out, kReplacement);
      ++i;  // resynchronise on the next byte
    }
  }
  return out;
}

/// `text` without leading/trailing spaces and with inner runs of spaces
/// reduced to one.
std::string CollapseSpaces(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ') {
      pending_space = !out.empty();
    } else {
      if (pending_space) out += ' ';
      pending_space = false;
      out += c;
    }
  }
  return out;
}

/// Lower-case letters and digits only: "Sim-Lock Status" -> "simlockstatus".
std::string NormalizeKey(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (IsAsciiAlpha(c) || IsAsciiDigit(c)) out += AsciiLower(c);
  }
  return out;
}

std::string ResultFields::*FieldForKey(std::string_view key) {
  std::string normalized = NormalizeKey(key);
  for (const KeyAlias& alias : kAliases) {
    if (alias.normalized_key == normalized) return alias.member;
  }
  return nullptr;
}

bool IsKeyCharacter(char c) {
  return IsAsciiAlpha(c) || IsAsciiDigit(c) ||
         std::string_view(" -/()._&'#").find(c) != std::string_view::npos;
}

/// Splits "Key: value" into its key and value; nullopt when the segment does
/// not start with a key (then it continues the previous value). A key is a
/// short name starting with a letter; its colon must be followed by a space
/// or the end, except for known keys ("IMEI:356..."), so that "10:30" or
/// "http://..." stay values.
std::optional<std::pair<std::string, std::string>> SplitKeyValue(std::string_view segment) {
  size_t colon = segment.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > kMaxKeyLength) return std::nullopt;
  std::string_view key = segment.substr(0, colon);
  while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
  if (key.empty() || !IsAsciiAlpha(key[0])) return std::nullopt;
  for (char c : key) {
    if (!IsKeyCharacter(c)) return std::nullopt;
  }
  std::string_view rest = segment.substr(colon + 1);
  if (!rest.empty() && rest[0] != ' ' && FieldForKey(key) == nullptr) return std::nullopt;
  return std::pair<std::string, std::string>{std::string(key), CollapseSpaces(rest)};
}

/// A piece of text between separators.
struct Segment {
  std::string text;       // spaces collapsed, never empty
  bool after_line_break;  // separated from the previous one by a line, not " - "
};

std::vector<Segment> SplitSegments(std::string_view text) {
  std::vector<Segment> segments;
  size_t line_start = 0;
  while (line_start <= text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    // Padded so that a leading "- " (a bullet) or trailing " -" also separates.
    std::string line = " " + std::string(text.substr(line_start, line_end - line_start)) + " ";
    bool after_line_break = true;
    size_t start = 0;
    while (start <= line.size()) {
      size_t dash = line.find(" - ", start);
      if (dash == std::string::npos) dash = line.size();
      std::string piece = CollapseSpaces(std::string_view(line).substr(start, dash - start));
      if (!piece.empty()) {
        segments.push_back({std::move(piece), after_line_break});
        after_line_break = false;
      }
      start = dash + 2;  // the space after the dash may begin the next " - "
    }
    line_start = line_end + 1;
  }
  return segments;
}

}  // namespace

std::span<const ResultFieldColumn> ResultFieldColumns() { return kColumns; }

const std::string& ResultFieldValue(const ResultFields& fields, std::string_view name) {
  for (const ResultFieldColumn& c : kColumns) {
    if (c.name == name) return fields.*c.member;
  }
  static const std::string kNone;
  return kNone;
}

ParsedResultCode ParseResultCode(std::string_view raw) {
  ParsedResultCode parsed;
  parsed.raw = std::string(raw);
  for (Segment& segment : SplitSegments(PlainText(raw))) {
    if (auto pair = SplitKeyValue(segment.text)) {
      parsed.pairs.push_back(std::move(*pair));
    } else if (!parsed.pairs.empty()) {
      std::string& value = parsed.pairs.back().second;
      if (!value.empty()) value += segment.after_line_break ? " " : " - ";
      value += segment.text;
    }
  }
  for (const auto& [key, value] : parsed.pairs) {
    std::string ResultFields::*member = FieldForKey(key);
    if (member != nullptr && (parsed.fields.*member).empty()) parsed.fields.*member = value;
  }
  return parsed;
}

}  // namespace imeiflow
