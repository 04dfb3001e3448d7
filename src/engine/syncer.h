// Syncer: polls the supplier (getimeis) for the results of orders that are
// pending or in process, until each is completed or rejected, or stale.
//
// Several order ids go into one call (batch_size); an id the answer leaves
// out is asked again soon, and alone once it keeps missing; when to ask is
// PollSchedule's (by age). Every answer of a round is recorded in one
// transaction (store::SyncRepository): a new status or code is stored with
// the code's parsed fields. A poll is idempotent and costs nothing, so a call
// that fails (refused, timed out, unreadable) is simply asked again later;
// congestion signals still feed the limiter.
//
// Sharing the supplier with the Dispatcher: both run on one thread, on the
// same Provider and the same AdaptiveLimiter (the limit counts calls of both
// kinds). Submissions have priority: the dispatcher fills its free slots with
// submissions first and offers the slots it cannot fill (nothing queued is
// ready, or the daily cap paused it) to the syncer (Dispatcher::SetSyncer).
// A poll holds its slot for one round trip, so a new job waits at most one
// round trip for slots polls took. Alone (`imeiflow sync`), Run() drives the
// syncer with a limiter of its own.
//
// Modes: kSchedule polls orders as they fall due; kEveryOpenOrderOnce
// (`sync --once`) asks once about every pending or in_process order with a
// supplier id, stale ones included, whatever the schedule.
// Not thread-safe, except that the `stop` flag given to Run() may be set from
// any thread or a signal handler.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "engine/limiter.h"
#include "engine/syncer_schedule.h"
#include "store/database.h"
#include "store/sync_repository.h"
#include "upstream/provider.h"

namespace imeiflow::engine {

/// Settings of the syncer ([sync]).
struct SyncOptions {
  int batch_size = 50;           ///< sync.batch_size: order ids per getimeis call
  ScheduleOptions schedule;      ///< sync.first_poll_s, max_poll_interval_s, give_up_after_days
  int64_t grace_ms = 30'000;     ///< how long a stop waits for polls in flight
  bool refunds_rejected = true;  ///< upstream.refunds_rejected: a rejection books its refund
};

/// Which orders the syncer asks about.
enum class SyncMode {
  kSchedule,            ///< orders whose next poll is due, as they fall due
  kEveryOpenOrderOnce,  ///< every pending or in_process order once (stale ones too)
};

/// When Run() returns (besides a stop request or an error).
enum class SyncUntil {
  kStopped,  ///< only when stopped
  kIdle,     ///< nothing in flight and nothing due now (kEveryOpenOrderOnce: every order asked)
  kFinal,    ///< nothing in flight and no order left to poll (all final or stale)
};

/// Counters for logs, `sync --once`, `doctor` and metrics.
struct SyncStats {
  int64_t polls = 0;              ///< getimeis calls finished
  int64_t failed_polls = 0;       ///< ... without a usable answer (asked again later)
  int64_t congestion = 0;         ///< ... refused for load: 429, 503, timeouts
  int64_t orders_asked = 0;       ///< order ids asked, over every call
  int64_t orders_changed = 0;     ///< answers that brought a new status or code
  int64_t orders_in_process = 0;  ///< ... moving an order to in_process
  int64_t orders_completed = 0;   ///< ... completing an order
  int64_t orders_rejected = 0;    ///< ... rejecting an order
  int64_t orders_missing = 0;     ///< ids an answer left out
  int64_t orders_stale = 0;       ///< orders given up on (too old, still not final)
  int64_t unrecognised = 0;       ///< answers with a status imeiflow does not know
  int in_flight = 0;              ///< polls now in flight
};

/// Brings orders to their final state by polling the supplier.
class Syncer {
 public:
  /// Every reference must outlive the syncer. `limiter` may be shared with a
  /// Dispatcher on the same thread.
  Syncer(store::Database& db, upstream::Provider& provider, const Clock& clock,
         AdaptiveLimiter& limiter, SyncOptions options, SyncMode mode = SyncMode::kSchedule);

  /// Marks orders older than the give-up age as stale. StartPolls() calls it
  /// on its first call and then hourly.
  Status MarkStale();
  /// Starts polls for the next orders in at most `free_slots` calls (each
  /// takes a limiter token). Returns how many calls started.
  Result<int> StartPolls(int free_slots);
  /// Judges the answers that arrived (limiter, counters, logs), freeing their
  /// slots; RecordJudged() then stores them.
  void JudgeAnswers();
  /// Stores what JudgeAnswers() judged, in one transaction.
  Status RecordJudged();
  /// JudgeAnswers() then RecordJudged().
  Status RecordAnswers();
  /// Whether answers wait for JudgeAnswers().
  bool HasAnswers() const { return !answers_.empty(); }
  /// Polls in flight (answered or not, until judged).
  int in_flight() const { return stats_.in_flight; }
  /// Nothing in flight or waiting, and no order due now (kEveryOpenOrderOnce:
  /// every order has been asked).
  Result<bool> Idle();
  /// Nothing in flight or waiting, and no order left that the schedule polls.
  Result<bool> Done();
  /// Alone: polls with the limiter's free slots until `stop`, or `until`,
  /// then lets polls in flight finish within the grace period. Returns an
  /// error when the supplier refused the credentials or the database failed.
  Status Run(const std::atomic<bool>& stop, SyncUntil until);
  /// Why polling stopped for good (the supplier refused the credentials); "" if not.
  const std::string& fatal() const { return fatal_; }
  /// Counters so far.
  const SyncStats& stats() const { return stats_; }

 private:
  struct Answer {
    std::vector<store::SyncOrder> orders;  // as asked, in order
    AdaptiveLimiter::Token token;
    upstream::OrdersResult result;
  };
  // Tops the queue up to at least `wanted` orders when the source has more.
  Status Refill(size_t wanted);
  // The next call's orders: up to batch_size, or one order that keeps missing.
  std::vector<store::SyncOrder> NextBatch();
  void StartCall(std::vector<store::SyncOrder> orders);
  void Judge(Answer& answer, int64_t now);
  void JudgeOrder(const store::SyncOrder& order, const upstream::OrderInfo* info, int64_t now);
  void LogSummary(int64_t now, bool force);

  store::Database& db_;
  upstream::Provider& provider_;
  const Clock& clock_;
  AdaptiveLimiter& limiter_;
  SyncOptions options_;
  SyncMode mode_;
  PollSchedule schedule_;
  store::SyncRepository repo_;
  std::deque<store::SyncOrder> queue_;       // fetched, not yet sent
  std::optional<store::SyncCursor> cursor_;  // kSchedule: where the next fetch continues
  int64_t last_open_id_ = 0;                 // kEveryOpenOrderOnce: where the next fetch continues
  bool source_exhausted_ = false;            // kEveryOpenOrderOnce: every order fetched
  int64_t next_fetch_at_ = 0;                // kSchedule: nothing was due; look again then
  std::vector<Answer> answers_;              // arrived, not yet judged
  std::vector<store::PollRecord> judged_;    // judged, not yet recorded
  int64_t next_stale_check_at_ = 0;          // when StartPolls() marks stale orders again
  int64_t next_summary_at_ = 0;              // when the next info summary may be logged
  SyncStats logged_;                         // counters at the last summary
  SyncStats stats_;
  std::string fatal_;
};

}  // namespace imeiflow::engine
