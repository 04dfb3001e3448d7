// DuplicateGuard: the local duplicate guard (design rule 6) and what a
// submission knows about an IMEI's earlier orders for a service, asked the
// same way by JobRepository::Create (inside its transaction) and by the
// read-only PreviewSubmission, so the preview says exactly what Create does:
// an IMEI + service with a non-rejected order, or an open item in another
// job, is skipped unless recheck; an IMEI whose latest order for the service
// was rejected is "rejected before", skipped only when the submission asks.
// Not thread-safe: one per Database connection, used for one loop.
#pragma once

#include <optional>
#include <string>

#include "core/item_state.h"
#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// What the guard says about one valid IMEI.
struct GuardVerdict {
  ItemState state = ItemState::kQueued;  ///< queued, or skipped_duplicate
  std::string reason;                    ///< why it is skipped ("already ordered (order 12)")
  std::optional<int64_t> order_id;       ///< the order it is skipped for, if any
  bool already_ordered = false;          ///< skipped for an order or an open item
  /// The supplier's reason when the IMEI's latest order for the service was
  /// rejected (not asked for an IMEI skipped as already ordered; asked only
  /// with skip_rejected, or always for a guard prepared to report it).
  std::optional<std::string> rejected_reason;
};

/// The guard's prepared questions on one connection.
class DuplicateGuard {
 public:
  /// Prepares the look-ups on `db`, which must outlive the guard; with
  /// `report_rejected`, every verdict says whether the IMEI was rejected
  /// before (the preview), else only when skip_rejected asks (Create).
  static Result<DuplicateGuard> Prepare(Database& db, bool report_rejected = false);

  /// The verdict for `imei` ordered for `service_id`: with `recheck`, earlier
  /// orders and open items do not skip it; with `skip_rejected`, a latest
  /// order that was rejected does ("rejected before: <reason>").
  Result<GuardVerdict> Check(const std::string& imei, const std::string& service_id, bool recheck,
                             bool skip_rejected);

 private:
  DuplicateGuard(Statement find_order, Statement find_open, Statement find_latest,
                 bool report_rejected)
      : find_order_(std::move(find_order)),
        find_open_(std::move(find_open)),
        find_latest_(std::move(find_latest)),
        report_rejected_(report_rejected) {}
  Statement find_order_;
  Statement find_open_;
  Statement find_latest_;
  bool report_rejected_;
};

}  // namespace imeiflow::store
