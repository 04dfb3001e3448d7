// EngineMonitor: what the engine thread of `imeiflow serve` (the dispatcher,
// with the syncer) reports for the dashboard and /metrics while they run:
// whether the dispatcher runs here, and its counters (in-flight limit, ...);
// and the mailbox through which pages ask the dispatcher for service refreshes.
// Thread-safe: the engine thread writes, web handler threads read copies.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "engine/dispatcher.h"
#include "engine/service_refresh.h"

namespace imeiflow::web {

/// Where the dispatcher of this process stands.
enum class DispatcherState {
  kNotStarted,       ///< this process does not dispatch (tests, or not yet)
  kRunning,          ///< dispatching: `stats` are live
  kLockedElsewhere,  ///< another process holds the dispatcher lock; retried
  kFailed,           ///< stopped on an error (`note` says which); retried
  kStopped,          ///< shutting down
};

/// "running", "locked elsewhere", ...: for pages.
const char* DispatcherStateName(DispatcherState state);

/// A copy of the dispatcher's status.
struct DispatcherStatus {
  DispatcherState state = DispatcherState::kNotStarted;  ///< where it stands
  std::string note;                                      ///< why it is not running, for people
  engine::DispatchStats stats;                           ///< counters of the running dispatcher
  int64_t updated_at_ms = 0;                             ///< when this was reported (Unix ms)
};

/// The latest reports of the engine threads.
class EngineMonitor {
 public:
  /// Replaces the dispatcher's status.
  void SetDispatcher(DispatcherStatus status);
  /// A copy of the dispatcher's latest status.
  DispatcherStatus Dispatcher() const;
  /// Service refreshes asked for on the pages, done by this process's dispatcher.
  engine::ServiceRefreshMailbox& service_refresh() { return service_refresh_; }

 private:
  mutable std::mutex mu_;
  DispatcherStatus dispatcher_;  // guarded by mu_
  engine::ServiceRefreshMailbox service_refresh_;  // thread-safe on its own
};

}  // namespace imeiflow::web
