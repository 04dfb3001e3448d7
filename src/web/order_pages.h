// The orders pages: /orders searches the orders by a pasted IMEI list (any
// separators, thousands of IMEIs; entries that are not IMEIs are listed, the
// others searched, and IMEIs without an order listed as not found) and by
// status, service, job and date, paged; /orders/{id} shows every parsed field
// and the raw code as text; /orders/export.csv and /orders/export.xlsx send
// the same selection in the supplier's export layout (store/supplier_export.h)
// as a download. Every page is for viewers and up.
//
// The search is a GET form: httplib 0.11 sets no limit on the request line
// (CPPHTTPLIB_REQUEST_URI_MAX_LENGTH is defined but not enforced), so a
// selection of thousands of IMEIs travels in the URL, and the export links
// carry it too. Handlers run on httplib's worker threads with their own
// connection.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/input.h"
#include "core/status.h"
#include "store/order_repository.h"
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
  std::string query;  ///< the selection as a query string (valid IMEIs, filters), no page
};

/// Reads the selection from the fields `imei`, `status`, `service`, `job`,
/// `since` and `until` (YYYY-MM-DD; `until` includes its day) of `request`.
/// Fails only when the IMEI list cannot be read at all.
Result<OrderSearch> ReadOrderSearch(const httplib::Request& request);

/// Registers GET /orders, /orders/{id}, /orders/export.csv, /orders/export.xlsx.
void RegisterOrderPages(httplib::Server& server, WebContext& web);

}  // namespace imeiflow::web
