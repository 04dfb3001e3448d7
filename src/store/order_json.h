// OrderJson: one order as JSON, the same object for `imeiflow orders --json`
// and the web API's GET /api/v1/orders:
//   {"id": 7, "upstream_id": "U1" | null, "imei": "...", "service_id": "1739",
//    "status": "completed", "price": "0.08", "job": 3 | null,
//    "placed_at": "2026-11-29T04:03:17Z", "code": "..." | null,
//    "fields": {"model": "...", ..., "applecare": "..."}}
// `fields` holds every parsed result field (ResultFieldColumns), "" when the
// code did not name it. Pure function: safe from any thread.
#pragma once

#include <nlohmann/json.hpp>

#include "store/order_repository.h"

namespace imeiflow::store {

/// `order` as a JSON object (see above).
nlohmann::json OrderJson(const OrderRecord& order);

}  // namespace imeiflow::store
