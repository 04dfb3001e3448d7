// Clock: the time source of everything that schedules (dispatcher, syncer,
// sessions), behind an interface so tests can set the time instead of
// sleeping (as LevelDB's Env). SystemClock is thread-safe; a FakeClock is
// meant for one test thread at a time.
#pragma once

#include <atomic>
#include <cstdint>

namespace imeiflow {

/// Tells the time in Unix milliseconds.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Milliseconds since the Unix epoch.
  virtual int64_t NowMs() const = 0;
};

/// The real wall clock.
class SystemClock : public Clock {
 public:
  /// The system's wall-clock time.
  int64_t NowMs() const override;
};

/// A clock that moves only when told to.
class FakeClock : public Clock {
 public:
  /// Starts at `now_ms`.
  explicit FakeClock(int64_t now_ms = 1'795'910'400'000) : now_ms_(now_ms) {}
  /// The time last set.
  int64_t NowMs() const override { return now_ms_.load(); }
  /// Moves the time forward by `ms`.
  void Advance(int64_t ms) { now_ms_ += ms; }
  /// Sets the time.
  void Set(int64_t now_ms) { now_ms_ = now_ms; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace imeiflow
