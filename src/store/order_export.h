// OrderExport: the orders matching a filter, newest first, streamed into the
// supplier's export layout (store/supplier_export.h) as CSV or XLSX, for
// `imeiflow export` and the web application's export. For a filter with an
// IMEI list the rows follow the list, and each listed IMEI without a
// matching order is a row of its own: its IMEI and STATUS "no order" (such
// rows are not orders: `imeiflow import` reports them as unreadable).
//
// Two CSV layouts (CsvLayout): the supplier's, byte for byte, for tools
// (`import`, `reconcile`, scripts); and one for Excel: a UTF-8 byte order
// mark, the IMEI columns as `="352..."` (core/csv_writer.h: Excel shows the
// 15 digits as text instead of 3.52E+14) and the date column titled
// "ORDER DATE (UTC)". The XLSX has IMEIs as text cells, CREDITS as number
// cells in a currency format and ORDER DATE (UTC) as date cells. `import`
// reads all three back.
//
// Rows go from SQLite (OrderRepository::ForEach) straight to the output: CSV
// in chunks of about 1 MiB handed to a sink, XLSX through core/xlsx_writer in
// constant-memory mode, so memory stays flat however many orders match. The
// SERVICE column holds the service's title from the services cache (its id
// when the cache lacks it).
// Not thread-safe: use with one Database connection from one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/database.h"
#include "store/order_repository.h"

namespace imeiflow::store {

/// The STATUS of a listed IMEI's row when it has no matching order.
inline constexpr std::string_view kNoOrderWord = "no order";

/// Receives CSV bytes, chunk after chunk; an error stops the export.
using CsvSink = std::function<Status(std::string_view bytes)>;

/// Which CSV to write.
enum class CsvLayout {
  kSupplier,  ///< the supplier's layout, byte-exact: for tools
  kExcel,     ///< opened by Excel with 15-digit IMEIs intact: for people
};

/// Writes the header and one CSV record per order matching `filter` (its
/// limit and offset ignored) in `layout` to `sink`; returns how many rows
/// were written.
Result<int64_t> ExportOrdersCsv(Database& db, const OrderFilter& filter, CsvLayout layout,
                                const CsvSink& sink);

/// Writes the same rows as an XLSX workbook at `path` (replacing it);
/// returns how many rows were written. kTooLarge beyond one sheet's rows.
Result<int64_t> ExportOrdersXlsx(Database& db, const OrderFilter& filter, const std::string& path);

}  // namespace imeiflow::store
