// SimClock: where the simulator reads the time, so tests can move it.
//
// Order lifecycles (Pending -> In Process -> Completed) are computed from the
// placement time when an order is looked at; a test swaps in a clock it
// advances by hand instead of sleeping. Implementations must be thread-safe.
#pragma once

#include <chrono>

namespace imeiflow::sim {

/// The source of wall-clock time for the simulator.
class SimClock {
 public:
  virtual ~SimClock() = default;
  /// The current time.
  virtual std::chrono::system_clock::time_point Now() const = 0;
};

/// The real system clock. Thread-safe (stateless).
class SystemSimClock : public SimClock {
 public:
  /// std::chrono::system_clock::now().
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace imeiflow::sim
