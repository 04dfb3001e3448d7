// Service refreshes on the dispatcher's thread, so that no web request waits
// on the supplier and the call counts against the dispatcher's limiter.
//
// ServiceRefreshMailbox: where the web pages ask for a refresh of the cached
// service catalogue and read how the last one went. Thread-safe: web handler
// threads ask and read, the dispatcher thread takes and reports.
//
// ServiceRefresher: the dispatcher's side. Given free limiter slots, it starts
// the requested refresh (one call, a limiter token like any supplier call),
// and when the answer came it stores the services (StoreServices), writes the
// audit row and reports the outcome to the mailbox. Not thread-safe: owned by
// the dispatcher thread (Dispatcher::SetServiceRefresher).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "engine/limiter.h"
#include "store/database.h"
#include "upstream/provider.h"

namespace imeiflow::engine {

/// A copy of where the service refreshes stand, for pages.
struct ServiceRefreshState {
  bool pending = false;          ///< a refresh was asked for and has not finished
  bool in_flight = false;        ///< ... and its supplier call is under way
  int64_t requested_at_ms = 0;   ///< when the pending refresh was asked for (Unix ms)
  std::string requested_by;      ///< who asked for it
  int64_t finished_at_ms = 0;    ///< when the last refresh finished (0: none yet)
  size_t stored = 0;             ///< services it cached
  size_t left_out = 0;           ///< services it left out (price not a number)
  std::string error;             ///< why it failed, for people; empty when it worked
};

/// Refresh requests from the pages and the outcome of the last refresh.
class ServiceRefreshMailbox {
 public:
  /// Asks for a refresh by `user` at `now_ms`; false (and nothing changes)
  /// when one is already pending, so a second click queues no second call.
  bool Request(const std::string& user, int64_t now_ms);
  /// A copy of the state.
  ServiceRefreshState State() const;
  /// For the dispatcher: who asked, when a refresh is pending and not yet in
  /// flight; marks it in flight.
  std::optional<std::string> Take();
  /// For the dispatcher: the in-flight refresh ended at `now_ms` with
  /// `stored` and `left_out` services, or with `error` (non-empty).
  void Finish(int64_t now_ms, size_t stored, size_t left_out, const std::string& error);

 private:
  mutable std::mutex mu_;
  ServiceRefreshState state_;  // guarded by mu_
};

/// Performs the mailbox's refreshes in the dispatcher's limiter slots.
class ServiceRefresher {
 public:
  /// Every reference must outlive the refresher; `limiter` is the dispatcher's.
  ServiceRefresher(store::Database& db, upstream::Provider& provider, const Clock& clock,
                   AdaptiveLimiter& limiter, ServiceRefreshMailbox& mailbox);
  /// A refresh still in flight ends as failed: nobody will hear its answer.
  ~ServiceRefresher();
  ServiceRefresher(const ServiceRefresher&) = delete;
  ServiceRefresher& operator=(const ServiceRefresher&) = delete;

  /// Starts the pending refresh if there is one and `free_slots` > 0;
  /// returns how many calls started (0 or 1).
  int StartCalls(int free_slots);
  /// Calls in flight (0 or 1).
  int in_flight() const { return in_flight_ ? 1 : 0; }
  /// True when an answer waits for RecordAnswer().
  bool HasAnswer() const { return answer_.has_value(); }
  /// Judges the answer that came (limiter), stores the services, audits and
  /// reports to the mailbox. Fails only when the database does (the mailbox
  /// then says so too).
  Status RecordAnswer();

 private:
  struct Answer {
    AdaptiveLimiter::Token token;
    upstream::ServicesResult result;
  };
  // Stores the listed services, writes the audit row, reports to the mailbox.
  Status Store(const upstream::ServicesResult& result, int64_t now);

  store::Database& db_;
  upstream::Provider& provider_;
  const Clock& clock_;
  AdaptiveLimiter& limiter_;
  ServiceRefreshMailbox& mailbox_;
  bool in_flight_ = false;
  std::string requested_by_;     // who asked for the refresh in flight
  std::optional<Answer> answer_;  // set by the provider's callback during a Pump()
};

}  // namespace imeiflow::engine
