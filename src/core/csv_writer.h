// AppendCsvRecord: one CSV record as RFC 4180 writes it.
//
// Fields are separated by commas; a field holding a comma, a double quote, a
// CR or an LF is put in double quotes with each quote doubled; every record
// ends with CRLF (RFC 4180's line break, and what spreadsheet programs and the
// supplier's own export write). Bytes are copied as they are (UTF-8 in, UTF-8
// out). core/csv_reader.h reads such records back.
//
// ExcelDigitsCell is how a CSV made for Excel keeps a long number such as a
// 15-digit IMEI: Excel reads bare digits as a number and shows 3.52E+14, so
// the cell is written as the formula `="352099001761481"`, which Excel shows
// as the text 352099001761481. That is a formula, so it is made only of
// digits imeiflow wrote itself (never of supplier text): any other cell is
// returned unchanged, and callers neutralise every cell that came from the
// supplier first (core/formula_guard.h), which a cell of digits never needs.
// ReadExcelDigitsCell undoes it on import.
// Pure functions: safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace imeiflow {

/// Appends the record of `fields` to `out`, CRLF included.
void AppendCsvRecord(std::span<const std::string> fields, std::string* out);

/// Appends the record of `fields` to `out`, CRLF included.
void AppendCsvRecord(std::span<const std::string_view> fields, std::string* out);

/// `="<digits>"` when `cell` is 1 to 20 ASCII digits; otherwise `cell` unchanged.
std::string ExcelDigitsCell(std::string_view cell);

/// The digits of a cell ExcelDigitsCell wrapped (`="<digits>"`); any other
/// cell unchanged.
std::string ReadExcelDigitsCell(std::string_view cell);

/// The UTF-8 byte order mark a CSV for Excel starts with (without it Excel
/// reads UTF-8 as the local code page).
inline constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

}  // namespace imeiflow
