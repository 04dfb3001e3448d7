// RetryBackoff: when an item whose call was proven not applied goes out
// again (design rule 3): exponential backoff with jitter, never sooner than
// the supplier's Retry-After. Not thread-safe (holds its random generator).
#pragma once

#include <cstdint>
#include <optional>
#include <random>

namespace imeiflow::engine {

/// Computes retry delays.
class RetryBackoff {
 public:
  /// Delays grow from `base_ms` doubling per attempt up to `max_ms`; `seed`
  /// makes the jitter repeatable in tests.
  RetryBackoff(int64_t base_ms, int64_t max_ms, uint64_t seed);

  /// The delay before the next try after `attempts` tries: a random value in
  /// [d/2, d] with d = min(max, base * 2^(attempts-1)), and at least
  /// `retry_after_ms` when the supplier sent one.
  int64_t DelayMs(int attempts, std::optional<int64_t> retry_after_ms);

 private:
  int64_t base_ms_;
  int64_t max_ms_;
  std::mt19937_64 rng_;
};

}  // namespace imeiflow::engine
