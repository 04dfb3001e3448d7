// OrderImporter: brings the rows of a supplier's export file (see
// store/supplier_export.h) into the orders table, for `imeiflow import`.
//
// Each row names an IMEI and a service (by title, else by id, from the
// services cache; an unknown or ambiguous service is an error for that row).
// Its order is found among the orders of that IMEI + service:
//   1. an order placed in the same second as the row's ORDER DATE;
//   2. else the order placed nearest to it (the supplier's clock and ours
//      differ, and an `unconfirmed` order was placed by us);
// each order answering at most one row of the file. A matched order gets the
// row's status and code (and the fields parsed from it) unless they are the
// same already, or unless the order is final (completed, rejected) and the
// row is not (an older file must not undo a result). A row without an order
// becomes a new order: no job, no supplier id, price from CREDITS, placed at
// ORDER DATE. Imported orders are not counted as spending (imeiflow did not
// place them now).
//
// Items left `accepted_unconfirmed` for that IMEI + service whose order is
// the matched one (or not recorded) move to `accepted`: the supplier's file
// proves the order.
//
// Everything happens in one transaction; an audit row records the import
// when it changed anything, so importing the same file again changes nothing
// at all. Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/database.h"
#include "store/supplier_export.h"

namespace imeiflow::store {

/// What an import did.
struct ImportCounts {
  int64_t inserted = 0;        ///< rows that became new orders
  int64_t updated = 0;         ///< orders whose status or code changed
  int64_t unchanged = 0;       ///< orders that already held what the row says
  int64_t resolved_items = 0;  ///< accepted_unconfirmed items moved to accepted
};

/// Imports export rows.
class OrderImporter {
 public:
  /// Uses `db` for every call; `db` must outlive the importer. A row that
  /// rejects an order of a job books its refund (BookRefund) when
  /// `refunds_rejected` (upstream.refunds_rejected).
  explicit OrderImporter(Database& db, bool refunds_rejected = true)
      : db_(db), refunds_rejected_(refunds_rejected) {}

  /// Imports `rows` in one transaction; rows whose service is unknown are
  /// appended to `errors` and skipped. `actor` and `source` (the file name)
  /// go into the audit row.
  Result<ImportCounts> Import(const std::vector<ImportRow>& rows, const std::string& actor,
                              const std::string& source, int64_t now_ms,
                              std::vector<ImportError>* errors);

 private:
  Database& db_;
  bool refunds_rejected_;
};

}  // namespace imeiflow::store
