// AdaptiveLimiter: how many supplier calls may be in flight at once.
//
// Slow start: from `initial`, +1 per successful call (so the limit doubles
// each round trip) up to a threshold (at first `max`). A congestion signal
// (HTTP 429, 503, or a timeout) halves the limit and sets the threshold just
// below where it congested: one below the limit when the refused call started
// (or the limit now, if lower), but never below 90% of the limit now. The
// limit then slow-starts back to the threshold, stays there for a few windows
// of `limit` successes, and then probes above it by 1 per window (AIMD). A
// probe that fails at the same threshold doubles the stay (up to
// kMaxWindowsAtThreshold windows). So against a fixed supplier limit the
// limit spends most of its time at that limit and draws few 429s, instead of
// averaging 75% of it as plain AIMD does. Signals from calls started before
// the last decrease are ignored, so one burst of 429s halves the limit once.
// The limit stays within [1, max].
// Not thread-safe: owned by the dispatcher thread.
#pragma once

#include <cstdint>

namespace imeiflow::engine {

/// The in-flight limit and the rules that move it.
class AdaptiveLimiter {
 public:
  /// Windows of successes spent at the threshold before the first probe above it.
  static constexpr int kWindowsAtThreshold = 8;
  /// The longest stay at the threshold, after probes failed there again and again.
  static constexpr int kMaxWindowsAtThreshold = 64;

  /// What OnStart() returns; pass it to the call's outcome.
  struct Token {
    uint64_t epoch = 0;      ///< how many decreases came before the call started
    int limit_at_start = 0;  ///< the limit when it started
  };

  /// Starts at `initial` (clamped to [1, max]) in slow start.
  AdaptiveLimiter(int initial, int max);

  /// The current limit on calls in flight.
  int limit() const { return limit_; }
  /// Where slow start ends and growth by one per window begins.
  int threshold() const { return threshold_; }
  /// True until the first congestion signal.
  bool seen_congestion() const { return epoch_ > 0; }

  /// Call when a call starts; pass the returned token to its outcome.
  Token OnStart() const { return {epoch_, limit_}; }
  /// A call succeeded (or failed for reasons that say nothing about load).
  void OnSuccess(Token token);
  /// A call met a congestion signal.
  void OnCongestion(Token token);

 private:
  int max_;
  int limit_;
  int threshold_;
  int successes_in_window_ = 0;
  int windows_at_threshold_ = kWindowsAtThreshold;
  uint64_t epoch_ = 0;  // bumped at every decrease
};

}  // namespace imeiflow::engine
