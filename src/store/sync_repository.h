// SyncRepository: the durable half of status sync. It finds the orders whose
// next poll is due (supplier id known, pending or in_process, not stale),
// records what a round of polls learned about each in one transaction, marks
// orders stale after the give-up age, and counts what is not final yet.
//
// The schedule itself (when to ask next) is the engine's (engine::
// PollSchedule): this class stores the times it is given. An answer is only
// applied to an order that is still pending or in_process, so a final state
// (from an earlier poll or an import) is never undone. Statements are prepared
// once and reused. Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// An order the syncer may poll.
struct SyncOrder {
  int64_t id = 0;            ///< local id
  std::string upstream_id;   ///< the supplier's order id
  std::string status;        ///< pending or in_process
  std::string code;          ///< the code stored so far ("" when none)
  int64_t placed_at = 0;     ///< Unix ms
  int64_t next_poll_at = 0;  ///< when it is due (Unix ms)
  int misses = 0;            ///< answers in a row that left it out
};

/// Where Due() continues: after the order with this (next_poll_at, id).
struct SyncCursor {
  int64_t next_poll_at = 0;  ///< of the last order returned
  int64_t id = 0;            ///< of the last order returned
};

/// What one poll learned about one order.
struct PollRecord {
  /// The kind of answer.
  enum class Kind {
    kChanged,    ///< the answer carries a new status or code: stored with parsed fields; polls + 1
    kUnchanged,  ///< the answer repeats what is stored: polls + 1
    kMissing,    ///< the answer left the order out: misses + 1
    kFailed,     ///< the call failed (no usable answer): only rescheduled
  };
  int64_t order_id = 0;       ///< the local order
  Kind kind = Kind::kFailed;  ///< see Kind
  std::string status;         ///< kChanged: the new status
  std::string code;           ///< kChanged: the code, kept raw and parsed into fields
  int64_t next_poll_at = 0;   ///< when to ask next (Unix ms)
  bool stale = false;         ///< give up on it (stale_at = now) unless final
};

/// How many orders are not final, by kind.
struct SyncCounts {
  int64_t pending = 0;      ///< pending with a supplier id, not stale
  int64_t in_process = 0;   ///< in_process with a supplier id, not stale
  int64_t due = 0;          ///< of those two, due now
  int64_t stale = 0;        ///< given up on without a final state
  int64_t unconfirmed = 0;  ///< charged but the supplier's id is not known (nothing to poll)
  /// Pending or in_process without a supplier id: known only from the
  /// supplier's export, never polled, so not awaiting a result.
  int64_t known_from_export = 0;
};

/// Reads and writes the syncer's schedule and the answers of polls.
class SyncRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository. An answer
  /// that rejects an order books its refund (BookRefund) when
  /// `refunds_rejected` (upstream.refunds_rejected).
  explicit SyncRepository(Database& db, bool refunds_rejected = true)
      : db_(db), refunds_rejected_(refunds_rejected) {}

  /// Up to `limit` orders due at `now_ms`, ordered by (next_poll_at, id),
  /// strictly after `after` when given.
  Result<std::vector<SyncOrder>> Due(int64_t now_ms, const std::optional<SyncCursor>& after,
                                     int limit);
  /// Up to `limit` pending or in_process orders with a supplier id, stale or
  /// not, whatever their schedule, with ids above `after_id`, by id (for
  /// `sync --once`).
  Result<std::vector<SyncOrder>> Open(int64_t after_id, int limit);
  /// Records `polls` in one transaction, refunds of rejected orders included.
  Status Record(const std::vector<PollRecord>& polls, int64_t now_ms);
  /// Marks pending and in_process orders placed before `placed_before_ms` as
  /// stale at `now_ms`. Returns how many.
  Result<int64_t> MarkStale(int64_t placed_before_ms, int64_t now_ms);
  /// The earliest next_poll_at of an order the schedule will poll, if any.
  Result<std::optional<int64_t>> NextPollAt();
  /// Counts of non-final orders at `now_ms`.
  Result<SyncCounts> Counts(int64_t now_ms);

 private:
  Result<std::vector<SyncOrder>> ReadOrders(Statement& rows);

  Database& db_;
  bool refunds_rejected_;
  std::optional<Statement> due_;
  std::optional<Statement> open_;
  std::optional<Statement> set_result_;
  std::optional<Statement> reschedule_;
};

}  // namespace imeiflow::store
