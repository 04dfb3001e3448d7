// PollSchedule: when the syncer asks the supplier about an order again.
//
// By age: an order is first asked `first_poll_ms` after it was placed; after
// each answer the next poll waits as long as the order is old, clamped to
// [first_poll_ms, max_interval_ms]. With the defaults (1 min, 30 min) that is
// 1, 2, 4, 8, 16, 32 min after placing, then every 30 min: each poll doubles
// the order's age, so young orders (most results arrive within minutes) are
// asked often and old ones cost little. The schedule depends only on the
// placing time and the clock, so a restart keeps it. An order the answer left
// out is asked again after `first_poll_ms` x misses (at most the interval by
// age), alone once it has been missed twice (kMissesBeforeAlone). A failed
// call is retried after `first_poll_ms`. After `give_up_after_ms` without a
// final state the order is stale and no longer polled.
// A plain value: thread-safe to share read-only.
#pragma once

#include <cstdint>

namespace imeiflow::engine {

/// The schedule's settings ([sync]).
struct ScheduleOptions {
  int64_t first_poll_ms = 60'000;                       ///< sync.first_poll_s
  int64_t max_interval_ms = 1'800'000;                  ///< sync.max_poll_interval_s
  int64_t give_up_after_ms = int64_t{30} * 86'400'000;  ///< sync.give_up_after_days
};

/// Computes the times of the next polls.
class PollSchedule {
 public:
  /// Answers left an order out this many times in a row: it is asked alone.
  static constexpr int kMissesBeforeAlone = 2;

  /// Uses `options` (non-positive durations count as 1 ms).
  explicit PollSchedule(const ScheduleOptions& options);

  /// The next poll of an order placed at `placed_at` that was answered at `now`.
  int64_t AfterAnswer(int64_t placed_at, int64_t now) const;
  /// The next poll of an order the answer at `now` left out `misses` times in a row.
  int64_t AfterMiss(int64_t placed_at, int misses, int64_t now) const;
  /// The next poll of an order whose call failed at `now`.
  int64_t AfterFailure(int64_t now) const;
  /// Whether an order placed at `placed_at` is too old to poll at `now`.
  bool GivenUp(int64_t placed_at, int64_t now) const;
  /// Orders placed before this are too old to poll at `now`.
  int64_t GiveUpCutoff(int64_t now) const;
  /// Whether an order missed `misses` times in a row goes out alone.
  static bool Alone(int misses) { return misses >= kMissesBeforeAlone; }
  /// The settings.
  const ScheduleOptions& options() const { return options_; }

 private:
  ScheduleOptions options_;
};

}  // namespace imeiflow::engine
