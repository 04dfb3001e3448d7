// JobSheet: the spreadsheet a job was made from, kept with the job and
// written back with the job's results appended, for `imeiflow export --job ID
// --layout upload`, the job page's "Download the sheet with results" and
// GET /api/v1/jobs/{id}/sheet.
//
// ReadUploadedSheet reads every non-blank row of an uploaded CSV or XLSX
// (CSV split at the delimiter its first line uses most: comma, semicolon or
// tab) under the number the job's items carry: the CSV line where the record
// starts, the spreadsheet row. SubmitJob keeps it (SaveJobSheet) when a file
// was uploaded; pasted text keeps nothing. It is bounded as the input is:
// the upload limit, at most 2 * kMaxJobEntries + 1 rows.
//
// The writers give the same rows in the same order with the same cells, plus
// the result columns (kSheetResultColumns): the item's result in the shop's
// words ("Completed", "not an IMEI: ...", "repeat of row 5", "needs review",
// ...), carrier, SIM-lock, FMI, blacklist status, the code (or the reason a
// line was not ordered) and the price. An item skipped as already ordered
// shows that order's result. The first row, when no item came from it, is
// the header, and gets the result columns' titles; otherwise a header row
// ("Column A", ...) is written first. CSV: every cell neutralised against
// formulas (core/formula_guard.h), then cells of 12 or more digits written
// as ="..." so Excel keeps them (core/csv_writer.h); XLSX: every cell text,
// the price a currency number.
// Not thread-safe: use with one Database connection from one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/input.h"
#include "core/status.h"
#include "store/database.h"
#include "store/order_export.h"

namespace imeiflow::store {

/// One non-blank row of an uploaded sheet.
struct UploadedRow {
  int row = 0;                     ///< CSV line where it starts, or spreadsheet row (1-based)
  std::vector<std::string> cells;  ///< its cells, left to right (empty cells "")
};

/// An uploaded CSV or XLSX, row by row.
struct UploadedSheet {
  InputFormat format = InputFormat::kCsv;  ///< kCsv or kXlsx
  std::vector<UploadedRow> rows;           ///< every non-blank row, top to bottom
};

/// The titles of the result columns appended to the sheet.
inline constexpr std::array<std::string_view, 7> kSheetResultColumns = {
    "Result", "Carrier", "SIM-lock", "FMI", "Blacklist", "Code / reason", "Price"};

/// The rows of `bytes` when it is a CSV or XLSX file (the format
/// ParseImeiInput reads it as); nothing for text. kCorrupt or kTooLarge as
/// ParseImeiInput for a workbook it cannot read, kTooLarge beyond the rows
/// one job's input may have.
Result<std::optional<UploadedSheet>> ReadUploadedSheet(std::string_view bytes);

/// Keeps `sheet` with job `job_id`, in one transaction; `report` (the same
/// input's check) marks the rows that repeat an earlier row's IMEI.
Status SaveJobSheet(Database& db, int64_t job_id, const UploadedSheet& sheet,
                    const CheckReport& report);

/// The format job `job_id` was uploaded in, or nothing when it was not made
/// from a file (or does not exist).
Result<std::optional<InputFormat>> JobSheetFormat(Database& db, int64_t job_id);

/// Writes job `job_id`'s sheet with results as CSV to `sink`; returns the
/// rows written (the header included). kNotFound when the job has no sheet.
Result<int64_t> WriteJobSheetCsv(Database& db, int64_t job_id, const CsvSink& sink);

/// Writes it as an XLSX workbook at `path` (replacing it).
Result<int64_t> WriteJobSheetXlsx(Database& db, int64_t job_id, const std::string& path);

}  // namespace imeiflow::store
