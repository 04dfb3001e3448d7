// The import page: an operator uploads the supplier's export CSV (the layout
// of store/supplier_export.h) and the existing importer (store/order_import.h)
// upserts its orders in one transaction, auditing the import as the user.
// The result page gives the counts and every rejected line with its number
// and reason. Oversized uploads get the server's 413 page.
// Handlers run on the server's worker threads with their own connection.
#pragma once

#include "web/http.h"

#include "web/web_context.h"

namespace imeiflow::web {

/// Registers GET /import and POST /import (operator+).
void RegisterImportPage(Router& server, WebContext& web);

}  // namespace imeiflow::web
