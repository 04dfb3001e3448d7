// AppendCsvRecord: one CSV record as RFC 4180 writes it.
//
// Fields are separated by commas; a field holding a comma, a double quote, a
// CR or an LF is put in double quotes with each quote doubled; every record
// ends with CRLF (RFC 4180's line break, and what spreadsheet programs and the
// supplier's own export write). Bytes are copied as they are (UTF-8 in, UTF-8
// out). core/csv_reader.h reads such records back.
// Pure function: safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace imeiflow {

/// Appends the record of `fields` to `out`, CRLF included.
void AppendCsvRecord(std::span<const std::string> fields, std::string* out);

/// Appends the record of `fields` to `out`, CRLF included.
void AppendCsvRecord(std::span<const std::string_view> fields, std::string* out);

}  // namespace imeiflow
