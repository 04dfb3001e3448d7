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
// The row's order (matched or new) then resolves an item of that IMEI +
// service: an `accepted_unconfirmed` item linked to it moves to `accepted`;
// else, when no item links to the order yet, the oldest `uncertain` or
// `accepted_unconfirmed` item without an order takes it and becomes
// `accepted` (the supplier's file proves the call landed). An uncertain
// item's money was only reserved: it is now charged, on the spending of the
// day the order was placed, at the job's price; an order an item takes joins
// that item's job. (An order has a job exactly when its price is counted in
// spending.) Rows whose status is imeiflow's own `unconfirmed` resolve
// nothing.
//
// Everything happens in one transaction; an audit row records the import
// when it changed anything, so importing the same file again changes nothing
// at all. Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/database.h"
#include "store/service_repository.h"
#include "store/supplier_export.h"

namespace imeiflow::store {

/// What an import did.
struct ImportCounts {
  int64_t inserted = 0;              ///< rows that became new orders
  int64_t updated = 0;               ///< orders whose status or code changed
  int64_t unchanged = 0;             ///< orders that already held what the row says
  int64_t resolved_uncertain = 0;    ///< uncertain items (awaiting review) now accepted
  int64_t resolved_unconfirmed = 0;  ///< accepted_unconfirmed items now accepted
};

/// Finds the service an export's SERVICE cell names: by title, else by id.
/// Immutable once built: safe to share between threads.
class ServiceNames {
 public:
  /// Indexes `services` (the services cache).
  explicit ServiceNames(const std::vector<CachedService>& services);
  /// The service id `name` refers to, or why there is none (unknown, or a
  /// title several services share).
  Result<std::string> Resolve(const std::string& name) const;

 private:
  std::map<std::string, std::vector<std::string>> by_title_;
  std::set<std::string> ids_;
};

/// Matches the rows of one IMEI + service (their ORDER DATEs, `row_times`,
/// in file order) to its orders (their placed_at, `order_times`): first an
/// order placed in the same second, then the nearest in time (ties: the
/// earlier order), each order at most once. Returns, per row, the index of
/// its order, or nothing. Pure; the import and the reconciliation share it.
std::vector<std::optional<size_t>> MatchByTime(std::span<const int64_t> row_times,
                                               std::span<const int64_t> order_times);

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
