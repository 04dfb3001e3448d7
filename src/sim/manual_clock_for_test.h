// ManualClock: a SimClock for tests that only moves when told to.
// Thread-safe: the time is an atomic count of milliseconds.
#pragma once

#include <atomic>
#include <chrono>

#include "sim/sim_clock.h"

namespace imeiflow::sim {

/// A clock that starts at a fixed instant and moves only through Advance().
class ManualClock : public SimClock {
 public:
  /// Starts at 2025-11-14 03:33:00 UTC.
  ManualClock() = default;
  /// The current (manual) time.
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms_.load()));
  }
  /// Moves the time forward by `d`.
  void Advance(std::chrono::milliseconds d) { ms_ += d.count(); }

 private:
  std::atomic<int64_t> ms_{1763091180000};
};

}  // namespace imeiflow::sim
