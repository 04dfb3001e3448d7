// IMEI arithmetic and the normalisation of one pasted entry.
//
// An IMEI is 15 digits whose last digit is a Luhn check digit over the first
// 14. NormalizeImei turns one entry as a person typed or pasted it into a
// valid 15-digit IMEI, or says in plain words why it is not one. Pure
// functions on values: safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace imeiflow {

/// True when `digits` is 15 ASCII digits whose last digit is the Luhn check digit.
bool LuhnValid(std::string_view digits);

/// The Luhn check digit ('0'..'9') for the first 14 digits of `digits`;
/// `digits` must hold at least 14 ASCII digits.
char CheckDigit(std::string_view digits);

/// What NormalizeImei made of an entry.
enum class ImeiVerdict {
  kValid,      ///< 15 digits with a correct check digit
  kCompleted,  ///< 14 digits; the check digit was computed and appended
  kInvalid,    ///< not an IMEI; `reason` says why
};

/// The outcome of normalising one entry.
struct NormalizedImei {
  ImeiVerdict verdict = ImeiVerdict::kInvalid;  ///< valid, completed or invalid
  std::string imei;    ///< the 15 digits when valid or completed, else empty
  std::string reason;  ///< why the entry is invalid, else empty
};

/// Normalises one entry: spaces, no-break spaces and dashes between digit
/// groups are removed (`35-209900-176148-1`, `35 209900 176148 1`), then
/// 15 digits must pass Luhn, 14 digits get their check digit appended, and
/// anything else is invalid with a reason: letters, other characters, a
/// number in scientific notation (the spreadsheet lost digits), an IMEISV
/// (16 digits), a wrong check digit, or another length.
NormalizedImei NormalizeImei(std::string_view raw);

/// True when `text` is a number in scientific notation such as `3.52099E+14`
/// (also with a decimal comma): what a spreadsheet shows, and exports, for
/// a long number in a column not formatted as Text.
bool IsScientificNotation(std::string_view text);

/// True when `text`, without spaces and dashes, is 14 to 16 digits or is a
/// number in scientific notation: what a column of IMEIs holds. Used to pick
/// the IMEI column of a table without a header.
bool LooksLikeImei(std::string_view text);

}  // namespace imeiflow
