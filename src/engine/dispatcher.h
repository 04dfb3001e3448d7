// Dispatcher: sends queued items to the supplier, exactly once.
//
// One thread drives every call through the Provider's asynchronous interface
// (libcurl multi underneath: no thread per call). Each step claims as many
// calls as the adaptive limiter allows (their intents committed in one
// transaction before any byte is sent), pumps the provider, refills the slots
// the answers freed, and then applies every answer that arrived in one
// transaction (group commit). Recover() turns what
// a dead process left in flight into uncertain items, resolved by policy.
// With SetSyncer(), the slots submissions cannot fill go to status polls
// (submissions first; see syncer.h).
// Hold a store::DispatcherLock while using one. Not thread-safe, except that
// the `stop` flag given to Run() may be set from any thread or a signal handler.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/money.h"
#include "core/status.h"
#include "engine/backoff.h"
#include "engine/limiter.h"
#include "engine/outcome_policy.h"
#include "store/database.h"
#include "store/dispatch_repository.h"
#include "upstream/provider.h"

namespace imeiflow::engine {

class ServiceRefresher;
class Syncer;

/// Settings of the dispatcher ([dispatch], [spending] and upstream.refuses_duplicates).
struct DispatchOptions {
  int max_in_flight = 64;          ///< dispatch.max_in_flight
  int initial_in_flight = 4;       ///< dispatch.initial_in_flight
  std::optional<Money> daily_cap;  ///< spending.daily_cap (the settings page's cap overrides it)
  bool refunds_rejected = true;    ///< upstream.refunds_rejected
  PolicyOptions policy;            ///< retry budget, refuses_duplicates
  int64_t backoff_base_ms = 1000;  ///< first retry delay
  int64_t backoff_max_ms = 60000;  ///< longest retry delay
  int64_t grace_ms = 30000;        ///< how long a stop waits for calls in flight
  int64_t first_poll_delay_ms = store::kDefaultFirstPollDelayMs;  ///< sync.first_poll_s
  uint64_t seed = 0;  ///< jitter seed (0: from the clock)
};

/// Counters for logs, progress and `doctor`.
struct DispatchStats {
  int64_t calls = 0;               ///< calls finished
  int64_t applied = 0;             ///< ... with an answer read
  int64_t not_applied = 0;         ///< ... proven not applied
  int64_t unknown = 0;             ///< ... that may have been applied
  int64_t congestion = 0;          ///< 429, 503 and timeouts seen
  int in_flight = 0;               ///< calls now in flight
  int limit = 0;                   ///< the limiter's current limit
  int peak_in_flight = 0;          ///< most calls ever in flight at once
  bool one_imei_per_call = false;  ///< the supplier was caught dropping IMEIs
  std::string paused;              ///< why dispatch is paused, if it is
};

/// Drives queued items through the supplier.
class Dispatcher {
 public:
  /// Every reference must outlive the dispatcher.
  Dispatcher(store::Database& db, upstream::Provider& provider, const Clock& clock,
             DispatchOptions options);

  /// Start-up recovery (design rule 4 and 5): calls without an outcome
  /// become unknown; their items uncertain, or queued again when the
  /// supplier refuses duplicates. Call once, before the first Step().
  Status Recover();
  /// Runs steps until `stop` is set or `keep_going` (called after each step,
  /// if given) returns false, then lets calls in flight finish within the
  /// grace period; with `until_idle`, also stops when nothing is queued or in
  /// flight. Returns an error when the supplier refused the credentials,
  /// when the database fails, or (until_idle) when the daily cap pauses work.
  Status Run(const std::atomic<bool>& stop, bool until_idle,
             const std::function<bool()>& keep_going = {});
  /// One step: claim and send what the limiter allows, wait up to
  /// `max_wait_ms` for answers, record the answers that came.
  Status Step(int max_wait_ms);
  /// Counters so far.
  const DispatchStats& stats() const { return stats_; }
  /// The in-flight limiter; a Syncer driven by this dispatcher shares it.
  AdaptiveLimiter& limiter() { return limiter_; }
  /// Gives the slots submissions cannot fill to `syncer` (which must share
  /// limiter() and the provider, and outlive the dispatcher); Run() then also
  /// waits for its polls, and until_idle also needs no poll due now.
  void SetSyncer(Syncer* syncer) { syncer_ = syncer; }
  /// Gives `refresher` (which must share limiter() and the provider, and
  /// outlive the dispatcher) the first free slot when a refresh is pending.
  void SetServiceRefresher(ServiceRefresher* refresher) { refresher_ = refresher; }

 private:
  struct Finished {
    store::CallIntent intent;
    AdaptiveLimiter::Token limiter_token;
    int64_t latency_ms;
    upstream::PlaceOrderResult result;
  };
  Status SendReady();
  // Judges and records every finished call.
  Status ApplyFinished();
  // Judges the finished calls at `now`: limiter, counters, and what to record.
  Result<std::vector<store::FinishedCall>> JudgeFinished(int64_t now);
  // Records judged calls in one transaction.
  Status RecordFinished(const std::vector<store::FinishedCall>& records, int64_t now);
  Status SwitchToOneImeiPerCall(const store::CallIntent& intent);
  // Logs the milestone of each touched job that has nothing left to send.
  Status LogFinishedJobs();
  Result<bool> Idle();
  // Calls in flight, submissions and polls.
  int CallsInFlight() const;
  // Judges the syncer's answers (freeing their slots); recorded by RecordPolls().
  void JudgePolls();
  Status RecordPolls();

  store::Database& db_;
  upstream::Provider& provider_;
  const Clock& clock_;
  DispatchOptions options_;
  store::DispatchRepository repo_;
  AdaptiveLimiter limiter_;
  RetryBackoff backoff_;
  OutcomePolicy policy_;
  std::vector<Finished> finished_;
  DispatchStats stats_;
  std::set<int64_t> started_jobs_;  // jobs this dispatcher sent for, not yet logged as done
  std::set<int64_t> touched_jobs_;  // jobs with answers in the step being recorded
  std::string fatal_;               // why the supplier refused us; dispatch stops
  bool capped_ = false;
  Syncer* syncer_ = nullptr;  // polls with the slots submissions leave free
  ServiceRefresher* refresher_ = nullptr;  // service refreshes asked for on the pages
};

}  // namespace imeiflow::engine
