// Reads the cells of the first worksheet of an XLSX workbook.
//
// The first sheet is the first <sheet> of xl/workbook.xml, resolved through
// xl/_rels/workbook.xml.rels (falling back to xl/worksheets/sheet1.xml).
// Cell text comes from shared strings, inline strings (t="inlineStr") or the
// cell value; numeric values are turned into exact digits when they are
// integers of at most 17 significant digits (`3.52099001761481E+14` ->
// `352099001761481`), because that is what the cell holds. A cell whose
// shared string cannot be found (no shared strings part, an index beyond
// it) is kept with the reason, never dropped.
//
// Memory stays bounded whatever the workbook: every zip entry is
// decompressed under a size bound checked while inflating, not taken from
// the zip header (a zip bomb is a kTooLarge error); the sheet and the shared
// strings are streamed and cut into <row> (or <si>) elements, parsed a few
// hundred kilobytes at a time, never a whole document: a 200 MB sheet costs
// a few of its rows, not gigabytes.
//
// An XlsxSheet reads the caller's bytes, which must outlive it. Not
// thread-safe: walk it from one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace imeiflow {

/// Bounds on decompressed sizes while reading a workbook.
struct XlsxLimits {
  uint64_t max_entry_bytes = 200ull << 20;  ///< largest decompressed zip entry
  uint64_t max_total_bytes = 200ull << 20;  ///< the parts read for one walk, together
  uint64_t max_element_bytes = 4ull << 20;  ///< largest single <row> or <si> element
};

/// One non-empty cell.
struct SheetCell {
  int column = 0;    ///< 0 for column A, 1 for B, ...
  std::string text;  ///< the cell's text (numbers as exact digits when integral)
  std::string
      problem;  ///< why the text could not be read ("": it could); text is then the raw value
};

/// One row of the sheet, with its non-empty cells in column order.
struct SheetRow {
  int row = 0;                   ///< the spreadsheet row number (1-based)
  std::vector<SheetCell> cells;  ///< non-empty cells, left to right
  /// The text of the cell in `column`, or an empty view when it is empty.
  std::string_view Cell(int column) const;
  /// The cell in `column`, or nullptr when it is empty.
  const SheetCell* Find(int column) const;
};

/// The first worksheet of a workbook, ready to be walked row by row.
class XlsxSheet {
 public:
  /// Opens the workbook held in `bytes` (the file's content, which must
  /// outlive the sheet), finds its first sheet and reads the shared strings.
  /// kCorrupt when it is not a readable workbook, kTooLarge when a bound of
  /// `limits` is exceeded.
  static Result<XlsxSheet> Open(std::string_view bytes, const XlsxLimits& limits = {});

  /// Movable, not copyable.
  XlsxSheet(XlsxSheet&&) noexcept;
  /// Moves `other`'s workbook into this one.
  XlsxSheet& operator=(XlsxSheet&&) noexcept;
  /// Closes the workbook.
  ~XlsxSheet();

  /// Calls `visit` for each row holding at least one cell, top to bottom,
  /// until it returns false; each walk reads the sheet again. kCorrupt for
  /// damaged data or XML, kTooLarge beyond a bound (or beyond 1,048,576
  /// rows, the most a sheet can have); some rows before the error may have
  /// been visited.
  Status ForEachRow(const std::function<bool(const SheetRow&)>& visit) const;

 private:
  struct Impl;
  explicit XlsxSheet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The exact decimal digits of a spreadsheet number such as
/// `3.52099001761481E+14` when it is an integer of at most 17 significant
/// digits; otherwise `number` unchanged.
std::string ExactNumberText(std::string_view number);

}  // namespace imeiflow
