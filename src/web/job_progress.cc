#include "web/job_progress.h"

#include <fmt/format.h>

#include <cmath>

#include "store/job_json.h"
#include "web/format.h"

namespace imeiflow::web {
namespace {

int64_t CountOf(const store::JobSummary& job, ItemState state) {
  auto it = job.counts.find(state);
  return it == job.counts.end() ? 0 : it->second;
}

}  // namespace

bool IsFinishedState(ItemState state) {
  return state != ItemState::kQueued && state != ItemState::kInFlight &&
         state != ItemState::kUncertain;
}

JobProgress ProgressOf(const store::JobSummary& job, int64_t now_ms,
                       const std::string& paused_reason) {
  JobProgress progress;
  progress.total = job.total;
  // Items final from creation (invalid, already ordered) are not the
  // dispatcher's work: they count as finished but not towards the rate.
  int64_t dispatched = 0;
  for (const auto& [state, n] : job.counts) {
    if (!IsFinishedState(state)) continue;
    progress.finished += n;
    if (state != ItemState::kInvalid && state != ItemState::kSkippedDuplicate) dispatched += n;
  }
  progress.percent = progress.finished == progress.total
                         ? 100
                         : std::min(99, PercentOf(progress.finished, progress.total));
  progress.moving = job.Active() > 0;
  if (progress.moving) progress.paused_reason = paused_reason;
  progress.state = std::string(store::JobStateName(job, !progress.paused_reason.empty()));
  double elapsed_s = store::JobElapsedSeconds(job, now_ms);
  if (dispatched > 0 && elapsed_s > 0) progress.rate_per_s = dispatched / elapsed_s;
  int64_t left = CountOf(job, ItemState::kQueued) + CountOf(job, ItemState::kInFlight);
  if (!progress.moving) {
    progress.eta_s = 0;
  } else if (progress.rate_per_s > 0 && progress.paused_reason.empty()) {
    progress.eta_s = static_cast<int64_t>(std::ceil(left / progress.rate_per_s));
  }
  return progress;
}

std::string RateText(const JobProgress& progress) {
  if (progress.rate_per_s <= 0) return "-";
  return fmt::format("{:.1f}/s", progress.rate_per_s);
}

std::string EtaText(const JobProgress& progress) {
  if (!progress.eta_s) return "-";
  int64_t s = *progress.eta_s;
  if (s >= 3600) return fmt::format("{} h {} min", s / 3600, s % 3600 / 60);
  if (s >= 60) return fmt::format("{} min {} s", s / 60, s % 60);
  return fmt::format("{} s", s);
}

nlohmann::json ProgressJson(const store::JobSummary& job, const JobProgress& progress) {
  nlohmann::json eta = progress.eta_s ? nlohmann::json(*progress.eta_s) : nlohmann::json();
  return {{"id", job.id},
          {"state", progress.state},
          {"paused_reason", progress.paused_reason},
          {"total", progress.total},
          {"finished", progress.finished},
          {"percent", progress.percent},
          {"rate", progress.rate_per_s},
          {"eta_s", eta},
          {"rate_text", RateText(progress)},
          {"eta_text", EtaText(progress)},
          {"final", !progress.moving},
          {"counts", store::JobCountsJson(job)}};
}

}  // namespace imeiflow::web
