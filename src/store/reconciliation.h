// Reconciliation: the supplier's export (store/supplier_export.h) side by
// side with the orders here, for `imeiflow reconcile`. It reads only.
//
// Rows are matched to the orders of the same IMEI + service as the import
// matches them (MatchByTime, store/order_import.h), each order at most once:
//   - known: a row with its order here;
//   - needs review: a row without an order here whose IMEI + service has an
//     item awaiting review (uncertain, no order): it was charged;
//   - unknown: a row with neither (charged there, unknown here);
//   - missing: an order placed by imeiflow (it has a job) within the file's
//     date range (the UTC days from its first to its last ORDER DATE, whole)
//     that no row matched.
// Not thread-safe: one call at a time per Database connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "store/database.h"
#include "store/supplier_export.h"

namespace imeiflow::store {

/// One order or row in a reconciliation.
struct ReconcileLine {
  std::string imei;                 ///< 15 digits
  std::string service_id;           ///< the service
  int64_t placed_at = 0;            ///< ORDER DATE (rows) or placed_at (orders), Unix ms
  Money price;                      ///< CREDITS (rows) or the order's price
  int line = 0;                     ///< the file's line; 0 for a missing order
  std::optional<int64_t> order_id;  ///< the order here (known, missing)
  std::optional<int64_t> item_id;   ///< the item awaiting review (needs review)
};

/// The lines of one kind, with their count and total.
struct ReconcileGroup {
  std::vector<ReconcileLine> lines;  ///< file order; missing orders by placed_at
  Money total;                       ///< sum of the lines' prices

  /// Appends `line` and adds its price.
  void Add(ReconcileLine line);
};

/// The supplier's file against the orders here.
struct Reconciliation {
  ReconcileGroup known;         ///< charged there, ordered here
  ReconcileGroup needs_review;  ///< charged there, an item here awaits review
  ReconcileGroup unknown;       ///< charged there, unknown here
  ReconcileGroup missing;       ///< ordered here, missing there
  int64_t from_ms = 0;          ///< the date range compared: [from_ms, until_ms)
  int64_t until_ms = 0;         ///< 0 with from_ms when the file has no row

  /// True when every row is known and no order is missing.
  bool Agree() const;
};

/// Compares `rows` with the database; rows whose service is unknown are
/// appended to `errors` and left out.
Result<Reconciliation> Reconcile(Database& db, const std::vector<ImportRow>& rows,
                                 std::vector<ImportError>* errors);

}  // namespace imeiflow::store
