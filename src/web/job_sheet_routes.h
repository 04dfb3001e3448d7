// The job's sheet with results as a page download: GET /jobs/{id}/sheet
// (viewer) sends the CSV or XLSX a job was made from with its results
// appended (store/job_sheet.h, through web/order_download.h); ?format=csv or
// xlsx chooses, else it comes as uploaded. A job made from pasted text has
// no sheet: a 404 page says so. The job page's "Download the sheet with
// results" button links here when the job has one.
// Handlers run on the server's worker threads with their own connection.
#pragma once

#include "web/http.h"
#include "web/web_context.h"

namespace imeiflow::web {

/// Registers GET /jobs/{id}/sheet (viewer+).
void RegisterJobSheetRoutes(Router& server, WebContext& web);

}  // namespace imeiflow::web
