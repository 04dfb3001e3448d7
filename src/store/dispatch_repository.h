// DispatchRepository: the durable half of the exactly-once state machine
// (design.md, "Exactly-once submission", rules 1, 2 and 4).
//
// Claim() moves queued items to in_flight and writes their call records (the
// intents) in one committed transaction, before any byte is sent. Finish()
// applies the answers of one or more calls in one transaction: call outcomes,
// order rows, item states and spending commit together. Recover() marks what
// a dead process left in flight as uncertain. Grouping several calls into one
// transaction is how durable commits (synchronous=FULL) cost no throughput.
// Policy (what state an answer leads to) is the engine's; this class only
// records it. The statements of Claim() and Finish() are prepared once and
// reused. Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/item_state.h"
#include "core/money.h"
#include "core/status.h"
#include "store/database.h"
#include "store/item_transitions.h"
#include "store/order_writer.h"

namespace imeiflow::store {

/// One item inside a call.
struct CallItem {
  int64_t item_id = 0;           ///< the item
  int64_t job_id = 0;            ///< its job
  std::string imei;              ///< 15 digits
  int attempts = 0;              ///< calls it has been part of, this one included
  bool after_uncertain = false;  ///< an earlier call with it may have been applied
};

/// A call whose intent is committed: it may now be sent.
struct CallIntent {
  int64_t call_id = 0;          ///< the call record
  std::string service_id;       ///< every item of a call has the same service
  Money price;                  ///< per IMEI
  std::vector<CallItem> items;  ///< the IMEIs it carries, in order
};

/// How much Claim() may take.
struct ClaimLimits {
  int max_calls = 1;               ///< free in-flight slots
  bool one_imei_per_call = false;  ///< the supplier drops IMEIs from batches
  /// spending.daily_cap of the configuration (design rule 7); a cap set on
  /// the settings page overrides it (SettingsRepository::DailyCapInForce).
  std::optional<Money> daily_cap;
  int64_t now_ms = 0;  ///< items with not_before later than this wait
};

/// What Claim() took.
struct ClaimResult {
  std::vector<CallIntent> calls;  ///< intents to send now
  bool capped = false;            ///< items were ready but the daily cap stopped them
  std::optional<Money> cap;       ///< the daily cap in force (none: no cap)
};

/// Money of one UTC day.
struct DaySpending {
  Money charged;   ///< prices of the orders charged that day
  Money refunded;  ///< of those, refunded since (rejected orders)
  /// What the day cost: charged minus refunded.
  Money spent() const { return charged - refunded; }
};

/// An order the answer created.
struct NewOrder {
  std::string upstream_id;  ///< the supplier's order id; empty when not known
  std::string status;       ///< pending, in_process, completed, rejected or unconfirmed
};

/// Where one item of a finished call goes.
struct ItemTransition {
  int64_t item_id = 0;                ///< the item (must still be in_flight)
  ItemState to = ItemState::kQueued;  ///< its new state
  std::string reason;                 ///< the supplier's message, or why it waits
  int64_t not_before = 0;             ///< for queued: earliest next send (Unix ms)
  bool after_uncertain = false;       ///< for queued: keep the "may have been applied" mark
  bool alone = false;                 ///< for queued: send it in a call of its own
  std::optional<NewOrder> order;      ///< for accepted / accepted_unconfirmed
  /// For queued: where the item goes instead when its job is cancelled by the
  /// time the answer is recorded (cancelled only if kNoCallMayHaveAppliedSql
  /// holds, else Finish fails with Internal; uncertain, i.e. review); unset:
  /// it stays queued (a resend that tells whether an earlier call landed).
  std::optional<ItemState> if_job_cancelled;
};

/// The recorded end of one call.
struct FinishedCall {
  int64_t call_id = 0;                      ///< the intent it ends
  std::string outcome;                      ///< applied, not_applied, unknown or fatal
  int http_status = 0;                      ///< 0 when no answer was read
  int64_t latency_ms = 0;                   ///< time from send to answer or error
  std::string error;                        ///< what went wrong, if anything
  std::vector<ItemTransition> transitions;  ///< one per item of the call
};

/// Reads and writes the dispatch queue, calls and their outcomes.
class DispatchRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository. Orders it
  /// records are first polled `first_poll_delay_ms` after they are placed.
  /// A place answer that is already a rejection books its refund when
  /// `refunds_rejected` (upstream.refunds_rejected).
  explicit DispatchRepository(Database& db, int64_t first_poll_delay_ms = kDefaultFirstPollDelayMs,
                              bool refunds_rejected = true)
      : db_(db),
        first_poll_delay_ms_(first_poll_delay_ms),
        refunds_rejected_(refunds_rejected),
        transitions_(db) {}

  /// Takes ready queued items (oldest job first) into at most
  /// `limits.max_calls` calls of up to each job's batch size, never beyond
  /// the daily cap, and commits their intents.
  Result<ClaimResult> Claim(const ClaimLimits& limits);
  /// Records the ends of `calls` in one transaction. Items no longer
  /// in_flight are left alone (an answer is applied at most once). An item
  /// of a cancelled job going back to queued takes its `if_job_cancelled`
  /// state, so a cancelled job never has a queued item no call may have
  /// applied (Claim needs no check of its own).
  Status Finish(const std::vector<FinishedCall>& calls, int64_t now_ms);
  /// At start-up: calls without an outcome become unknown and their items
  /// uncertain (design rule 4). Returns how many items.
  Result<int64_t> Recover(int64_t now_ms);
  /// Queues every uncertain item again, marked after_uncertain, so that a
  /// supplier that refuses duplicates tells whether the first call landed
  /// (design rule 5). Returns how many items.
  Result<int64_t> RequeueUncertain(int64_t now_ms);
  /// Money charged minus refunded on the UTC day of `now_ms` (what the
  /// daily cap counts).
  Result<Money> SpentToday(int64_t now_ms);
  /// Charged and refunded on the UTC day of `now_ms`.
  Result<DaySpending> SpendingOn(int64_t now_ms);
  /// Money that may already be charged or soon will be: items in flight,
  /// uncertain, or queued again after an uncertain call.
  Result<Money> Reserved();
  /// Queued items that could be sent now or later.
  Result<int64_t> QueuedCount();
  /// The earliest not_before among queued items, if any are queued.
  Result<std::optional<int64_t>> NextReadyAt();

 private:
  // Writes the call records of `calls` (setting their call_id) and takes their items.
  Status WriteIntents(std::vector<CallIntent>& calls, int64_t now_ms);
  // Ends item `t` (back in queued) as its if_job_cancelled says when its job
  // is cancelled; `job_cancelled` tells whether it is.
  Status EndIfJobCancelled(Statement& job_cancelled, const ItemTransition& t, int64_t now_ms);

  Database& db_;
  int64_t first_poll_delay_ms_;
  bool refunds_rejected_;
  std::optional<Statement> ready_items_;
  std::optional<Statement> insert_call_;
  std::optional<Statement> link_item_;
  std::optional<Statement> end_call_;
  std::optional<Statement> job_cancelled_;
  ItemTransitions transitions_;
  std::optional<OrderWriter> orders_;
};

/// "YYYY-MM-DD" of `now_ms` in UTC: the key of the spending table.
std::string UtcDay(int64_t now_ms);

}  // namespace imeiflow::store
