#include "engine/limiter.h"

#include <algorithm>

namespace imeiflow::engine {

AdaptiveLimiter::AdaptiveLimiter(int initial, int max)
    : max_(std::max(1, max)), limit_(std::clamp(initial, 1, max_)), threshold_(max_) {}

void AdaptiveLimiter::OnSuccess(Token) {
  if (limit_ < threshold_) {
    limit_ = std::min(threshold_, limit_ + 1);
    return;
  }
  // At the highest limit known to be safe, stay a while before probing above it.
  int windows = seen_congestion() && limit_ == threshold_ ? windows_at_threshold_ : 1;
  if (++successes_in_window_ >= limit_ * windows) {
    successes_in_window_ = 0;
    limit_ = std::min(max_, limit_ + 1);
  }
}

void AdaptiveLimiter::OnCongestion(Token token) {
  if (token.epoch != epoch_) return;  // started before the last decrease
  // The call congested with up to `limit_at_start` calls in flight: the
  // highest safe limit is below that (and below the limit now), but never set
  // below 90% of the limit: calls started together reach the supplier in any
  // order, so which of them is refused says little.
  int threshold = std::max(limit_ * 9 / 10, std::min(limit_, token.limit_at_start) - 1);
  // A probe that failed where the last one did: probe half as often.
  windows_at_threshold_ = seen_congestion() && threshold == threshold_
                              ? std::min(kMaxWindowsAtThreshold, windows_at_threshold_ * 2)
                              : kWindowsAtThreshold;
  threshold_ = std::max(1, threshold);
  limit_ = std::max(1, limit_ / 2);
  successes_in_window_ = 0;
  ++epoch_;
}

}  // namespace imeiflow::engine
