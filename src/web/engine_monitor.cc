#include "web/engine_monitor.h"

namespace imeiflow::web {

const char* DispatcherStateName(DispatcherState state) {
  switch (state) {
    case DispatcherState::kNotStarted:
      return "not running in this process";
    case DispatcherState::kRunning:
      return "running";
    case DispatcherState::kLockedElsewhere:
      return "running in another process";
    case DispatcherState::kFailed:
      return "stopped on an error";
    case DispatcherState::kStopped:
      return "stopped";
  }
  return "unknown";
}

void EngineMonitor::SetDispatcher(DispatcherStatus status) {
  std::lock_guard lock(mu_);
  dispatcher_ = std::move(status);
}

DispatcherStatus EngineMonitor::Dispatcher() const {
  std::lock_guard lock(mu_);
  return dispatcher_;
}

}  // namespace imeiflow::web
