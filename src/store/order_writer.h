// OrderWriter: records that an item was charged: its order row and the day's
// spending, with statements prepared once. BookRefund() is the one way a
// rejected order's refund is booked, for every path that rejects an order. Shared by the
// dispatcher's answers and a person's review decisions so both charge the same way. Use only inside
// a caller's open transaction. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// How long after placing an order the syncer first asks for its status
/// (sync.first_poll_s).
inline constexpr int64_t kDefaultFirstPollDelayMs = 60'000;

/// Books the refund of order `order_id` when it is rejected, belongs to a job
/// (was charged) and has no refund yet: sets its refunded_at to `now_ms` and
/// adds its price to the refunded cents of the UTC day it was placed (the day
/// it was charged). Returns whether a refund was booked. Use only inside a
/// caller's open transaction, and only when the supplier refunds rejections
/// (upstream.refunds_rejected).
Result<bool> BookRefund(Database& db, int64_t order_id, int64_t now_ms);

/// Writes orders and spending for items.
class OrderWriter {
 public:
  /// Prepares the statements on `db`. New orders are first polled
  /// `first_poll_delay_ms` after they are placed.
  static Result<OrderWriter> Create(Database& db,
                                    int64_t first_poll_delay_ms = kDefaultFirstPollDelayMs);

  /// Inserts the order of item `item_id` (imei, service, price and job taken
  /// from the item) and returns its id. An empty `upstream_id` is stored as
  /// NULL (not known yet); an upstream id already held returns that order.
  Result<int64_t> InsertOrder(int64_t item_id, const std::string& upstream_id,
                              const std::string& status, int64_t now_ms);
  /// Adds the price of item `item_id`'s job to the spending of `day`.
  Status Charge(int64_t item_id, const std::string& day);

 private:
  OrderWriter(Database& db, int64_t first_poll_delay_ms, Statement insert, Statement find,
              Statement charge)
      : db_(&db),
        first_poll_delay_ms_(first_poll_delay_ms),
        insert_(std::move(insert)),
        find_(std::move(find)),
        charge_(std::move(charge)) {}
  Database* db_;
  int64_t first_poll_delay_ms_;
  Statement insert_;
  Statement find_;
  Statement charge_;
};

}  // namespace imeiflow::store
