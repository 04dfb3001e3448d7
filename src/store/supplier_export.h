// SupplierExport: the supplier's "Advanced Export" CSV layout, both ways.
//
//   SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,ORDER DATE
//
// An order becomes a row of cells (ExportCells): the service's title, the
// IMEI, the price as "$0.08", the status in the supplier's words
// ("Completed", "In Process", ...), the raw code, four parsed fields and the
// order date as "2026-11-29 06:30:00" (UTC). Every cell is neutralised
// against formulas (core/formula_guard.h), for CSV and XLSX alike.
//
// ReadSupplierExport reads such a file back for `imeiflow import`: the header
// must match (a UTF-8 byte order mark is skipped; the last title may be
// "ORDER DATE (UTC)"); each later record becomes an ImportRow, or an
// ImportError naming its line when it cannot be read. It also reads what
// imeiflow's own export writes for people (store/order_export.h): the CSV for
// Excel (IMEIs as `="..."`) and the XLSX workbook (CREDITS a number, ORDER
// DATE an Excel date cell; rows numbered as the spreadsheet does).
// IMEI 2 ... FMI are not read back: they are parsed again from CODE. The
// date may also be written without leading zeros (`2025-11-14 3:33:00`, as
// the supplier's own export does); it is taken as UTC.
// Pure functions on values: safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "store/order_repository.h"

namespace imeiflow::store {

/// The columns, in the supplier's order.
inline constexpr std::array<std::string_view, 11> kSupplierExportColumns = {
    "SERVICE", "IMEI NO.", "CREDITS", "STATUS", "CODE",      "IMEI 2",
    "CARRIER", "SIMLOCK",  "MODEL",   "FMI",    "ORDER DATE"};

/// The last column's title in imeiflow's XLSX and Excel CSV, which say the
/// zone; the reader takes it for ORDER DATE.
inline constexpr std::string_view kOrderDateUtcTitle = "ORDER DATE (UTC)";

/// One row's cells, in kSupplierExportColumns order.
using SupplierExportCells = std::array<std::string, kSupplierExportColumns.size()>;

/// The cells of `order`, whose service is called `service_title`, formulas
/// neutralised.
SupplierExportCells ExportCells(const OrderRecord& order, std::string_view service_title);

/// The supplier's word for a stored status: "Pending", "In Process",
/// "Completed", "Rejected"; "Unconfirmed" for an order whose id is unknown.
std::string_view SupplierStatusWord(std::string_view stored_status);

/// The stored status for a supplier's word (case and spacing ignored; the
/// status ids 1 to 4 also work), if it is one.
std::optional<std::string> StoredStatusFromWord(std::string_view word);

/// `ms` as "YYYY-MM-DD HH:MM:SS" (UTC).
std::string ExportDate(int64_t ms);

/// Parses "YYYY-MM-DD H:MM[:SS]" (hours, minutes, seconds with or without a
/// leading zero) as UTC Unix milliseconds.
std::optional<int64_t> ParseExportDate(std::string_view text);

/// One readable row of an export file.
struct ImportRow {
  int line = 0;           ///< the line where the record starts (1-based)
  std::string service;    ///< the SERVICE cell: a title or a service id
  std::string imei;       ///< 15 digits, check digit verified
  Money price;            ///< CREDITS
  std::string status;     ///< stored form: pending, in_process, completed, ...
  std::string code;       ///< CODE, with the formula guard undone
  int64_t placed_at = 0;  ///< ORDER DATE, Unix ms
};

/// A record that could not be read.
struct ImportError {
  int line = 0;         ///< the line where the record starts
  std::string message;  ///< what is wrong, naming the column
};

/// What a file held.
struct SupplierExportFile {
  std::vector<ImportRow> rows;      ///< readable records, in file order
  std::vector<ImportError> errors;  ///< unreadable records, in file order
};

/// Reads an export file's bytes. Fails (naming line 1) only when the header
/// is not exactly the supplier's; blank lines are skipped.
Result<SupplierExportFile> ReadSupplierExport(std::string_view bytes);

}  // namespace imeiflow::store
