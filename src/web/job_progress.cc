#include "web/job_progress.h"

#include <fmt/format.h>

#include <cmath>
#include <initializer_list>

#include "store/job_figures.h"
#include "store/job_json.h"
#include "web/format.h"

namespace imeiflow::web {
namespace {

int64_t CountOf(const store::JobSummary& job, ItemState state) {
  auto it = job.counts.find(state);
  return it == job.counts.end() ? 0 : it->second;
}

// The items of `job` in any of `states`.
int64_t CountOfAll(const store::JobSummary& job, std::initializer_list<ItemState> states) {
  int64_t n = 0;
  for (ItemState s : states) n += CountOf(job, s);
  return n;
}

int64_t OrderedCount(const store::JobSummary& job) {
  return CountOfAll(job, {ItemState::kAccepted, ItemState::kAcceptedUnconfirmed});
}

}  // namespace

std::string Counted(int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", WithThousands(n), n == 1 ? one : many);
}

std::vector<JobTile> SendingTiles(const store::JobSummary& job) {
  using S = ItemState;
  std::vector<JobTile> tiles = {
      {"ordered", "ordered", OrderedCount(job)},
      {"already_ordered", "already ordered", CountOfAll(job, {S::kSkippedDuplicate, S::kDuplicate})},
      {"needs_review", "needs review", CountOf(job, S::kUncertain)},
      {"refused", "refused by the supplier", CountOf(job, S::kRejected)},
      {"waiting", "waiting", CountOfAll(job, {S::kQueued, S::kInFlight})},
      {"failed", "failed", CountOf(job, S::kFailed)},
      {"cancelled", "cancelled", CountOf(job, S::kCancelled)},
  };
  if (int64_t invalid = CountOf(job, S::kInvalid); invalid > 0) {
    tiles.push_back({"not_imei", "not an IMEI", invalid});
  }
  return tiles;
}

std::string SendingText(const store::JobSummary& job) {
  std::string text;
  for (const JobTile& tile : SendingTiles(job)) {
    if (tile.n == 0) continue;
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", WithThousands(tile.n), tile.label);
  }
  return text.empty() ? "no items" : text;
}

std::vector<JobTile> ResultTiles(const store::JobResults& results) {
  return {{"completed", "completed", results.completed},
          {"rejected", "rejected", results.rejected},
          {"pending", "pending", results.pending + results.in_process}};
}

std::string ProgressSentence(const store::JobSummary& job, const JobProgress& progress) {
  const std::string ordered =
      fmt::format("{} of {} ordered", WithThousands(OrderedCount(job)), WithThousands(job.total));
  if (progress.state == "cancelled") {
    std::string text = fmt::format("Cancelled: {}, {} not sent", ordered,
                                   WithThousands(CountOf(job, ItemState::kCancelled)));
    if (job.Active() > 0) text += fmt::format(", {} still being sent", WithThousands(job.Active()));
    return text;
  }
  if (progress.state == "paused") {
    return fmt::format("Paused: {}, {} waiting", ordered, WithThousands(job.Active()));
  }
  return fmt::format("{} of {} finished", WithThousands(progress.finished),
                     WithThousands(job.total));
}

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

nlohmann::json ProgressJson(const store::JobSummary& job, const JobProgress& progress,
                            const store::JobResults& results) {
  nlohmann::json eta = progress.eta_s ? nlohmann::json(*progress.eta_s) : nlohmann::json();
  nlohmann::json tiles = nlohmann::json::object();
  for (const JobTile& tile : SendingTiles(job)) tiles[tile.key] = tile.n;
  for (const JobTile& tile : ResultTiles(results)) tiles[tile.key] = tile.n;
  return {{"id", job.id},
          {"state", progress.state},
          {"state_text", store::JobStateWord(progress.state)},
          {"sentence", ProgressSentence(job, progress)},
          {"tiles", tiles},
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
