// OrderDownload: sends the orders of a selection as a download, through the
// store's export writers (store/order_export.h: the supplier's layout, the
// formula guard, newest first). CSV streams from SQLite to the socket in
// chunks over a connection of its own, so memory stays flat however many
// orders match; XLSX is written to a temporary file (the workbook writer
// needs one), read back, removed, and sent.
// Called from httplib's worker threads; each call uses its own connection.
#pragma once

#include <httplib.h>

#include <string>

#include "core/status.h"
#include "store/database.h"
#include "store/order_repository.h"
#include "web/web_context.h"

namespace imeiflow::web {

/// Sets `response` to stream `filter`'s orders as CSV, as the attachment
/// `filename`; the rows are read when httplib sends the body.
void SendOrdersCsv(WebContext& web, const store::OrderFilter& filter, const std::string& filename,
                   httplib::Response& response);

/// Writes `filter`'s orders to an XLSX workbook over `db` and sets
/// `response` to send it as the attachment `filename`.
Status SendOrdersXlsx(store::Database& db, const store::OrderFilter& filter,
                      const std::string& filename, httplib::Response& response);

}  // namespace imeiflow::web
