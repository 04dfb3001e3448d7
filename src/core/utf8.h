// Utf8: decoding and encoding one UTF-8 sequence, for code that cleans text
// from outside (supplier result codes, spreadsheet cells).
// Pure functions: safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace imeiflow {

/// One decoded UTF-8 sequence.
struct Utf8Char {
  char32_t code_point = 0;  ///< the character
  size_t length = 0;        ///< its bytes in the text (1 to 4)
};

/// Decodes the sequence at text[i] (i < text.size()), or nullopt when the
/// bytes there are not valid UTF-8: a bad lead byte, a missing continuation,
/// an overlong form, a surrogate or a code point beyond U+10FFFF.
std::optional<Utf8Char> DecodeUtf8(std::string_view text, size_t i);

/// Appends `cp` (at most U+10FFFF) to `out` as UTF-8.
void AppendUtf8(std::string& out, char32_t cp);

}  // namespace imeiflow
