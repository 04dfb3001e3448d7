#include "engine/syncer_schedule.h"

#include <algorithm>

namespace imeiflow::engine {

PollSchedule::PollSchedule(const ScheduleOptions& options) : options_(options) {
  options_.first_poll_ms = std::max<int64_t>(1, options_.first_poll_ms);
  options_.max_interval_ms = std::max(options_.first_poll_ms, options_.max_interval_ms);
  options_.give_up_after_ms = std::max<int64_t>(1, options_.give_up_after_ms);
}

int64_t PollSchedule::AfterAnswer(int64_t placed_at, int64_t now) const {
  int64_t age = now - placed_at;
  return now + std::clamp(age, options_.first_poll_ms, options_.max_interval_ms);
}

int64_t PollSchedule::AfterMiss(int64_t placed_at, int misses, int64_t now) const {
  int64_t by_misses = options_.first_poll_ms * std::max(1, misses);
  return std::min(now + by_misses, AfterAnswer(placed_at, now));
}

int64_t PollSchedule::AfterFailure(int64_t now) const { return now + options_.first_poll_ms; }

bool PollSchedule::GivenUp(int64_t placed_at, int64_t now) const {
  return placed_at < GiveUpCutoff(now);
}

int64_t PollSchedule::GiveUpCutoff(int64_t now) const { return now - options_.give_up_after_ms; }

}  // namespace imeiflow::engine
