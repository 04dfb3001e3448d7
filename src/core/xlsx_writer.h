// XlsxWriter: writes a one-sheet XLSX workbook row by row, for exports.
//
// Built on libxlsxwriter in constant-memory mode: each row goes to a
// temporary file as soon as the next one starts, so a million rows need no
// more memory than one. Every cell is written as text (an inline string), so
// spreadsheets never turn an IMEI into 3.52E+14 or a date into a number. The
// first row is the header, in bold and frozen; Finish() puts an autofilter
// over the header and every data row.
//
// Text that XML cannot hold (control characters other than tab, CR and LF,
// invalid UTF-8) is replaced by U+FFFD; a cell longer than Excel's 32,767
// characters is cut there. Callers neutralise formulas themselves
// (core/formula_guard.h).
// Not thread-safe: one writer per file, used from one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace imeiflow {

/// One column of the sheet.
struct XlsxColumn {
  std::string_view title;  ///< the header cell
  double width = 12;       ///< in characters
};

/// The most data rows one sheet holds (Excel's 1,048,576 rows less the header).
inline constexpr int64_t kXlsxMaxDataRows = 1048575;

/// A workbook being written.
class XlsxWriter {
 public:
  /// Creates the workbook at `path` (replacing any file there) with one sheet
  /// named `sheet` and the header row of `columns`.
  static Result<std::unique_ptr<XlsxWriter>> Create(const std::string& path, std::string_view sheet,
                                                    std::span<const XlsxColumn> columns);
  /// Closes the workbook if Finish() was not called (the file is then
  /// complete but has no autofilter).
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  /// Writes the next row; it must have one cell per column. kTooLarge once
  /// the sheet already holds kXlsxMaxDataRows rows.
  Status AddRow(std::span<const std::string> cells);
  /// Data rows written so far.
  int64_t rows() const { return rows_; }
  /// Sets the autofilter and writes the file out. Call once.
  Status Finish();

 private:
  XlsxWriter(lxw_workbook* workbook, lxw_worksheet* sheet, size_t columns)
      : workbook_(workbook), sheet_(sheet), columns_(columns) {}

  lxw_workbook* workbook_;
  lxw_worksheet* sheet_;
  size_t columns_;
  int64_t rows_ = 0;
  std::string cell_;  // the cell being written, made XML-safe
};

}  // namespace imeiflow
