// The orders pages: /orders searches the orders by a pasted IMEI list (any
// separators, thousands of IMEIs; entries that are not IMEIs are listed, the
// others searched and shown in the pasted order, an IMEI without a matching
// order as a "no order" row) and by status, service, job, date and result
// (fmi, simlock, blacklisted, carrier, code: store::SetResultFilter), paged
// with a total ("1,234 orders, page 2 of 13"); its table has a column for
// each parsed field some listed row has, and the rejection reason; statuses
// in the shop's words (store/order_status.h). /orders/{id} shows every parsed field
// and the raw code as text; /orders/export.csv and /orders/export.xlsx send
// the same selection in the supplier's export layout (store/supplier_export.h)
// as a download. Every page is for viewers and up.
//
// The search form POSTs multipart/form-data with the CSRF token (a pasted
// list of thousands of IMEIs is no link); GET /orders?imei=...&status=...
// works too (links, bookmarks, the job page). A selection whose query
// would be too long for a link is kept on the server (web/saved_selections.h)
// and its pages and exports link to ?selection=KEY.
// Handlers run on the server's worker threads with their own connection.
#pragma once

#include "web/http.h"

#include <cstdint>
#include <string>
#include <vector>

#include "core/input.h"
#include "core/status.h"
#include "store/order_repository.h"
#include "web/saved_selections.h"
#include "web/web_context.h"

namespace imeiflow::web {

/// Orders per page without an IMEI list.
inline constexpr int64_t kOrdersPageSize = 100;
/// Orders per page with an IMEI list: all its matches, up to this many.
inline constexpr int64_t kOrdersListPageSize = 1000;

/// The selection the /orders form (or an export link) describes.
struct OrderSearch {
  store::OrderFilter filter;          ///< what to search (limit and offset unset)
  std::vector<InvalidEntry> invalid;  ///< entries of the IMEI list that are not IMEIs
  std::vector<std::string> problems;  ///< filters that could not be read, e.g. a bad date
  SearchFields fields;  ///< the fields read (the IMEI list as its valid IMEIs), for links
  std::string query;    ///< `fields` as a query string (no page)
};

/// Query strings longer than this are saved as a selection instead of linked.
inline constexpr size_t kMaxLinkQuery = 4000;

/// Reads the selection from the fields `imei`, `status`, `service`, `job`,
/// `since` and `until` (YYYY-MM-DD; `until` includes its day), `fmi`,
/// `simlock`, `blacklisted`, `carrier` and `code`; a value that cannot be
/// read is left out with a problem naming the allowed values. Fails only
/// when the IMEI list cannot be read at all.
Result<OrderSearch> ReadOrderSearch(const SearchFields& fields);

/// Registers GET and POST /orders, GET /orders/{id}, and GET and POST
/// /orders/export.csv and /orders/export.xlsx.
void RegisterOrderPages(Router& server, WebContext& web);

}  // namespace imeiflow::web
