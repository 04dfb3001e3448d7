// ParseImeiInput: IMEIs as people paste or upload them (text, CSV, XLSX),
// validated, normalised and de-duplicated, each result with its line number.
//
// Format comes from the content: a zip signature ("PK\3\4") is XLSX; text
// whose first record names an IMEI column (`IMEI`, `IMEI No.`, `imei1`; case
// and punctuation ignored), or whose records have a consistent number of
// comma-, semicolon- or tab-separated fields with one column of IMEIs next to
// other data, is CSV; anything else is text. In CSV and XLSX only the IMEI
// column is read: the named one, else the first whose values look like IMEIs.
// How text and cells are split into entries is described in
// core/entry_splitter.h; how one entry is judged, in core/imei.h.
//
// Line numbers are 1-based lines of the input (for XLSX: the spreadsheet row
// number). Binary garbage and invalid UTF-8 give invalid entries, never a
// crash; empty input gives an empty report. Errors (a corrupt or oversized
// workbook) come back as a Status. Pure function: safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace imeiflow {

/// The format an input was read as.
enum class InputFormat {
  kText,  ///< pasted text
  kCsv,   ///< comma-, semicolon- or tab-separated values
  kXlsx,  ///< an Excel workbook
};

/// "text", "csv" or "xlsx".
std::string_view InputFormatName(InputFormat format);

/// An entry that is not an IMEI.
struct InvalidEntry {
  int line = 0;        ///< 1-based line (or spreadsheet row)
  std::string input;   ///< the raw text as given (cut to InputOptions::max_raw_bytes)
  std::string reason;  ///< why it is not an IMEI, in plain words
};

/// An IMEI found on a line.
struct LineImei {
  int line = 0;       ///< 1-based line (or spreadsheet row)
  std::string imei;   ///< the 15 digits
  std::string input;  ///< the raw text as given
};

/// A repeat of an IMEI already seen in the same input (dropped from imeis).
struct DuplicateImei {
  int line = 0;        ///< the line of the repeat
  std::string imei;    ///< the 15 digits
  int first_line = 0;  ///< the line where the IMEI was first seen
  std::string input;   ///< the raw text of the repeat as given
};

/// Everything ParseImeiInput found.
struct CheckReport {
  InputFormat format = InputFormat::kText;  ///< how the input was read
  std::vector<std::string> imeis;           ///< valid IMEIs, in input order, each once
  std::vector<int> imei_lines;              ///< the line of each of imeis
  std::vector<InvalidEntry> invalid;        ///< entries that are not IMEIs, in input order
  std::vector<DuplicateImei> duplicates;    ///< repeats, in input order
  std::vector<LineImei> completed;          ///< 14-digit entries given their check digit
};

/// Bounds for ParseImeiInput; the defaults suit uploads.
struct InputOptions {
  uint64_t max_unzipped_entry_bytes = 200ull << 20;  ///< XLSX: largest decompressed entry
  uint64_t max_unzipped_total_bytes = 200ull << 20;  ///< XLSX: all entries together
  size_t max_raw_bytes = 200;  ///< raw text kept per invalid entry (longer is cut, "...")
};

/// Reads IMEIs from `bytes` (a file's or a paste's content). `filename_hint`
/// names the input in error messages. Fails only for an unreadable or
/// oversized workbook (kCorrupt, kTooLarge); everything else is a report.
Result<CheckReport> ParseImeiInput(std::string_view bytes, std::string_view filename_hint = "",
                                   const InputOptions& options = {});

/// The format ParseImeiInput would read `bytes` as.
InputFormat DetectInputFormat(std::string_view bytes);

}  // namespace imeiflow
