// OrderDownload: sends the orders of a selection as a download, through the
// store's export writers (store/order_export.h: the supplier's layout, the
// formula guard, newest first). The CSV download is the one for Excel unless
// asked for the supplier's layout (for tools). SendJobSheet sends the sheet a
// job was uploaded as, with its results, the same way. Both are written to a temporary file first
// (the workbook writer needs one; for CSV it keeps the handler's transaction
// short): CSV is then streamed from the file in 1 MiB chunks, so memory stays
// flat however many orders match and no thread waits on a slow client; the
// XLSX workbook is read back and sent. The file is removed once sent.
// Called from the server's worker threads; each call uses its own connection.
#pragma once

#include "web/http.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/database.h"
#include "store/order_export.h"
#include "store/order_repository.h"

namespace imeiflow::web {

/// Writes `filter`'s orders as CSV in `layout` over `db` and sets `response`
/// to stream them as the attachment `filename`.
Status SendOrdersCsv(store::Database& db, const store::OrderFilter& filter,
                     const std::string& filename, HttpResponse& response,
                     store::CsvLayout layout = store::CsvLayout::kExcel);

/// Writes `filter`'s orders to an XLSX workbook over `db` and sets
/// `response` to send it as the attachment `filename`.
Status SendOrdersXlsx(store::Database& db, const store::OrderFilter& filter,
                      const std::string& filename, HttpResponse& response);

/// Sends job `job_id`'s uploaded sheet with its results (store/job_sheet.h)
/// as an attachment: as uploaded, or as `format` ("csv", "xlsx"; "": as
/// uploaded). kNotFound when the job was not made from a file,
/// kInvalidArgument for another format.
Status SendJobSheet(store::Database& db, int64_t job_id, std::string_view format,
                    HttpResponse& response);

}  // namespace imeiflow::web
