#include "engine/backoff.h"

#include <algorithm>

namespace imeiflow::engine {

RetryBackoff::RetryBackoff(int64_t base_ms, int64_t max_ms, uint64_t seed)
    : base_ms_(std::max<int64_t>(1, base_ms)), max_ms_(std::max(base_ms_, max_ms)), rng_(seed) {}

int64_t RetryBackoff::DelayMs(int attempts, std::optional<int64_t> retry_after_ms) {
  int64_t delay = base_ms_;
  for (int i = 1; i < attempts && delay < max_ms_; ++i) delay *= 2;
  delay = std::min(delay, max_ms_);
  // Jitter spreads the retries of items that failed together.
  std::uniform_int_distribution<int64_t> jitter(delay / 2, delay);
  int64_t chosen = jitter(rng_);
  if (retry_after_ms) chosen = std::max(chosen, *retry_after_ms);
  return chosen;
}

}  // namespace imeiflow::engine
