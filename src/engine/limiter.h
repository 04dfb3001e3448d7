// AdaptiveLimiter: how many supplier calls may be in flight at once.
//
// Slow start: from `initial`, +1 per successful call (so the limit doubles
// each round trip) until the first congestion signal (HTTP 429, 503, or a
// timeout); then AIMD: halve on a signal, +1 per window of `limit` successes.
// Signals from calls started before the last decrease are ignored, so one
// burst of 429s halves the limit once, not once per call. The limit stays
// within [1, max]. Not thread-safe: owned by the dispatcher thread.
#pragma once

#include <cstdint>

namespace imeiflow::engine {

/// The in-flight limit and the rules that move it.
class AdaptiveLimiter {
 public:
  /// Starts at `initial` (clamped to [1, max]) in slow start.
  AdaptiveLimiter(int initial, int max);

  /// The current limit on calls in flight.
  int limit() const { return limit_; }
  /// True until the first congestion signal.
  bool slow_start() const { return slow_start_; }

  /// Call when a call starts; pass the returned token to its outcome.
  uint64_t OnStart() const { return epoch_; }
  /// A call started at `token` succeeded (or failed for reasons that say
  /// nothing about load).
  void OnSuccess(uint64_t token);
  /// A call started at `token` met a congestion signal.
  void OnCongestion(uint64_t token);

 private:
  int max_;
  int limit_;
  bool slow_start_ = true;
  int successes_in_window_ = 0;
  uint64_t epoch_ = 0;  // bumped at every decrease
};

}  // namespace imeiflow::engine
