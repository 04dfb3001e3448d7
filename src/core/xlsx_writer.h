// XlsxWriter: writes a one-sheet XLSX workbook row by row, for exports.
//
// Built on libxlsxwriter in constant-memory mode: each row goes to a
// temporary file as soon as the next one starts, so a million rows need no
// more memory than one. A cell is text, money or a UTC time (XlsxCell): text
// is always a text cell, so spreadsheets never turn an IMEI into 3.52E+14;
// money is a number cell in the currency format `$#,##0.00`, so it can be
// summed; a time is a date cell (the Excel serial day number, format
// `yyyy-mm-dd hh:mm:ss`) holding the UTC time, which the column's title
// should say ("ORDER DATE (UTC)"). The first row is the header, in bold and
// frozen; Finish() puts an autofilter over the header and every data row.
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
#include <variant>

#include "core/money.h"
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

/// A UTC time for a date cell, in Unix milliseconds.
struct XlsxUtcTime {
  int64_t ms = 0;  ///< milliseconds since 1970-01-01 00:00 UTC
};

/// One cell's value: empty, text, money (a number cell in the currency
/// format) or a UTC time (a date cell).
using XlsxCell = std::variant<std::monostate, std::string, Money, XlsxUtcTime>;

/// The Excel serial day number of `ms` (days since 1899-12-30, the fraction
/// the time of day): what a date cell holds.
double ExcelSerialDay(int64_t ms);

/// Unix milliseconds of an Excel serial day number, rounded to the second
/// (the inverse of ExcelSerialDay for whole seconds).
int64_t UnixMsFromExcelSerialDay(double serial);

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

  /// Writes the next row of text cells; it must have one cell per column.
  /// kTooLarge once the sheet already holds kXlsxMaxDataRows rows.
  Status AddRow(std::span<const std::string> cells);
  /// Writes the next row of typed cells, as AddRow of text does.
  Status AddRow(std::span<const XlsxCell> cells);
  /// Data rows written so far.
  int64_t rows() const { return rows_; }
  /// Sets the autofilter and writes the file out. Call once.
  Status Finish();

 private:
  XlsxWriter(lxw_workbook* workbook, lxw_worksheet* sheet, size_t columns)
      : workbook_(workbook), sheet_(sheet), columns_(columns) {}

  // Checks that a row of `cells` cells may be added now.
  Status CheckRow(size_t cells) const;
  // Writes `text` (made XML-safe) at column `column` of the next row.
  Status WriteText(size_t column, std::string_view text);
  // Writes `value` at column `column` of the next row.
  Status WriteCell(size_t column, const XlsxCell& value);

  lxw_workbook* workbook_;
  lxw_worksheet* sheet_;
  lxw_format* money_format_ = nullptr;
  lxw_format* time_format_ = nullptr;
  size_t columns_;
  int64_t rows_ = 0;
  std::string cell_;  // the cell being written, made XML-safe
};

}  // namespace imeiflow
