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
// crash; empty input gives an empty report; a spreadsheet cell whose text
// cannot be read (a shared string the workbook lacks) is an invalid entry of
// its row. Errors (a corrupt or oversized workbook, a list longer than one
// job may be) come back as a Status.
//
// One job holds at most kMaxJobEntries IMEIs, and every list of IMEIs (web
// paste and upload, CLI check and submit, the API) is read here, so the
// limit is enforced once: a longer list is refused (kTooLarge) as soon as
// the IMEI past the limit is read, and so is a list of more than twice as
// many entries in all (invalid ones and repeats included), which bounds
// the memory a report takes. Pure function: safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
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

/// The most IMEIs one job may hold (after repeats are dropped).
inline constexpr size_t kMaxJobEntries = 100'000;

/// Ok when `imeis` IMEIs fit in one job of at most `max_imeis`, else
/// kTooLarge: "150,000 IMEIs: at most 100,000 IMEIs per job; split the list".
Status CheckJobSize(size_t imeis, size_t max_imeis = kMaxJobEntries);

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
  size_t max_raw_bytes = 200;         ///< raw text kept per invalid entry (longer is cut, "...")
  size_t max_imeis = kMaxJobEntries;  ///< distinct IMEIs read; more: kTooLarge
  size_t max_entries = 2 * kMaxJobEntries;  ///< entries of any kind read; more: kTooLarge
};

/// Reads IMEIs from `bytes` (a file's or a paste's content). `filename_hint`
/// names the input in error messages. Fails only for an unreadable or
/// oversized workbook (kCorrupt, kTooLarge) or a list beyond the bounds of
/// `options` (kTooLarge); everything else is a report.
Result<CheckReport> ParseImeiInput(std::string_view bytes, std::string_view filename_hint = "",
                                   const InputOptions& options = {});

/// The format ParseImeiInput would read `bytes` as.
InputFormat DetectInputFormat(std::string_view bytes);

/// The field delimiter ParseImeiInput splits `bytes` at when it reads them
/// as CSV (`,`, `;` or tab); nothing when they are not CSV.
std::optional<char> DetectCsvDelimiter(std::string_view bytes);

/// `bytes` without a leading UTF-8 byte order mark.
std::string_view WithoutByteOrderMark(std::string_view bytes);

}  // namespace imeiflow
