// What the JSON API's requests ask for, read and checked: the body of
// POST /api/v1/jobs, the query of GET /api/v1/orders and the body of
// POST /api/v1/orders/search, and which query parameters each GET route
// takes. Every error is a Status whose message starts with the field or
// parameter it is about ("imeis[3]: must be a string"); kTooLarge when a
// list is longer than allowed. JSON is parsed without exceptions: a number
// out of range (1e400) is an error naming its field like any other.
// Pure functions: safe from any thread.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/input.h"
#include "core/status.h"
#include "store/order_repository.h"
#include "web/http.h"

namespace imeiflow::web {

/// The body of POST /api/v1/jobs.
struct JobRequest {
  std::string service_id;          ///< "service_id": the supplier's service
  std::vector<std::string> imeis;  ///< "imeis": one entry per element, as given
  bool recheck = false;            ///< "recheck" (optional)
  bool skip_rejected = false;      ///< "skip_rejected" (optional): leave out IMEIs rejected before
  bool dry_run = false;            ///< "dry_run" (optional): answer the preview, create nothing
  int batch_size = 1;              ///< "batch_size" (optional, 1 to 100)
};

/// Most orders one GET/POST orders request may return.
inline constexpr int64_t kMaxOrdersPage = 10'000;

/// Parses and checks a POST /api/v1/jobs body; at most `max_imeis` IMEIs.
Result<JobRequest> ParseJobRequest(std::string_view body, size_t max_imeis);

/// Checks each entry on its own, as one IMEI (element i is line i + 1 of
/// the report): valid and 14-digit entries become IMEIs, repeats are
/// dropped as duplicates, everything else is invalid with a reason.
CheckReport CheckImeiList(const std::vector<std::string>& entries);

/// The query parameters GET /api/v1/orders takes.
inline constexpr std::string_view kOrdersQueryParams[] = {
    "imei",  "status",  "service", "job",         "since", "until",
    "limit", "offset",  "fmi",     "simlock",     "carrier", "blacklisted", "code"};
/// The query parameters GET /api/v1/jobs/{id} takes: none.
inline constexpr std::span<const std::string_view> kJobQueryParams{};
/// The query parameters GET /api/v1/services takes: none.
inline constexpr std::span<const std::string_view> kServicesQueryParams{};

/// InvalidArgument naming the first parameter of `query` that is not in
/// `allowed` (with the allowed ones), or one given more than once (only
/// "imei", a list, may repeat): a misspelt filter must not answer unfiltered.
Status CheckQueryParams(const HttpParams& query, std::span<const std::string_view> allowed);

/// A query parameter's value, if given.
using QueryParam = std::function<std::optional<std::string>(std::string_view name)>;

/// The filter of GET /api/v1/orders from its query parameters: imei (a list,
/// any separators), status, service, job, since and until (YYYY-MM-DD or ISO
/// time; until a date includes that day), the result filters fmi, simlock,
/// carrier, blacklisted and code (store::SetResultFilter), limit (1 to
/// kMaxOrdersPage, default 100), offset.
Result<store::OrderFilter> ParseOrdersQuery(const QueryParam& param);

/// The same from the request's query, checked by CheckQueryParams against
/// kOrdersQueryParams first; repeated imei parameters are one list.
Result<store::OrderFilter> ParseOrdersQuery(const HttpParams& query);

/// The filter of POST /api/v1/orders/search: a JSON object with "imeis" (an
/// array of strings) and the other filters of ParseOrdersQuery (job, limit
/// and offset as numbers or strings, the others as strings); at most
/// `max_imeis` IMEIs.
Result<store::OrderFilter> ParseOrdersSearch(std::string_view body, size_t max_imeis);

}  // namespace imeiflow::web
