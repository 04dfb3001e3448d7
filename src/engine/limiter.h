// AdaptiveLimiter: how many supplier calls may be in flight at once.
//
// Slow start: from `initial`, +1 per successful call (so the limit doubles
// each round trip) up to a threshold (at first `max`). A congestion signal
// (HTTP 429, 503, or a timeout) halves the limit and sets the threshold one
// below the limit it hit (the highest limit not yet seen to congest); the
// limit then slow-starts back to the threshold, stays there for
// kWindowsAtThreshold windows of `limit` successes, and then probes above it
// by 1 per window (AIMD). So a short job reaches the supplier's limit within a
// few round trips and a long one spends most of its time at the supplier's
// limit, probing (and drawing a 429) only every few round trips, instead of
// averaging 75% of it as plain AIMD does.
// Signals from calls started before the last decrease are ignored, so one
// burst of 429s halves the limit once. The limit stays within [1, max].
// Not thread-safe: owned by the dispatcher thread.
#pragma once

#include <cstdint>

namespace imeiflow::engine {

/// The in-flight limit and the rules that move it.
class AdaptiveLimiter {
 public:
  /// Windows of successes spent at the threshold before probing above it.
  static constexpr int kWindowsAtThreshold = 8;

  /// Starts at `initial` (clamped to [1, max]) in slow start.
  AdaptiveLimiter(int initial, int max);

  /// The current limit on calls in flight.
  int limit() const { return limit_; }
  /// Where slow start ends and growth by one per window begins.
  int threshold() const { return threshold_; }
  /// True until the first congestion signal.
  bool seen_congestion() const { return epoch_ > 0; }

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
  int threshold_;
  int successes_in_window_ = 0;
  uint64_t epoch_ = 0;  // bumped at every decrease
};

}  // namespace imeiflow::engine
