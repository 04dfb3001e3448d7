#include "engine/limiter.h"

#include <algorithm>

namespace imeiflow::engine {

AdaptiveLimiter::AdaptiveLimiter(int initial, int max)
    : max_(std::max(1, max)), limit_(std::clamp(initial, 1, max_)), threshold_(max_) {}

void AdaptiveLimiter::OnSuccess(uint64_t) {
  if (limit_ < threshold_) {
    limit_ = std::min(threshold_, limit_ + 1);
    return;
  }
  // At the highest limit known to be safe, stay a while before probing above it.
  int windows = seen_congestion() && limit_ == threshold_ ? kWindowsAtThreshold : 1;
  if (++successes_in_window_ >= limit_ * windows) {
    successes_in_window_ = 0;
    limit_ = std::min(max_, limit_ + 1);
  }
}

void AdaptiveLimiter::OnCongestion(uint64_t token) {
  if (token != epoch_) return;  // started before the last decrease
  threshold_ = std::max(1, limit_ - 1);
  limit_ = std::max(1, limit_ / 2);
  successes_in_window_ = 0;
  ++epoch_;
}

}  // namespace imeiflow::engine
