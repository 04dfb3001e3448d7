#include "cli/progress.h"

#include <fmt/format.h>

#include <algorithm>

namespace imeiflow::cli {
namespace {

constexpr int kBarWidth = 30;

std::string Duration(int64_t seconds) {
  if (seconds >= 3600) return fmt::format("{}h{:02}m", seconds / 3600, seconds % 3600 / 60);
  if (seconds >= 60) return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  return fmt::format("{}s", seconds);
}

}  // namespace

std::string ProgressPrinter::Line(const store::JobSummary& job, int64_t started_ms,
                                  int64_t now_ms) {
  int64_t done = job.total - job.Active();
  std::string line = fmt::format("job {}: {}/{} done", job.id, done, job.total);
  // A rate over less than a second says little; show it from then on.
  if (now_ms - started_ms >= 1000) {
    double rate = done / ((now_ms - started_ms) / 1000.0);
    line += fmt::format(", {:.0f}/s", rate);
    if (job.Active() > 0 && rate > 0) {
      line += fmt::format(", ETA {}", Duration(static_cast<int64_t>(job.Active() / rate)));
    }
  }
  for (const auto& [state, n] : job.counts) {
    if (n > 0) line += fmt::format(", {} {}", ItemStateName(state), n);
  }
  return line;
}

void ProgressPrinter::Update(const store::JobSummary& job, int64_t now_ms) {
  if (started_ms_ < 0) started_ms_ = now_ms;
  if (!terminal_) {
    if (last_plain_ms_ >= 0 && now_ms - last_plain_ms_ < plain_interval_ms_) return;
    last_plain_ms_ = now_ms;
    fmt::print(out_, "{}\n", Line(job, started_ms_, now_ms));
    std::fflush(out_);
    return;
  }
  int64_t done = job.total - job.Active();
  int filled = job.total > 0 ? static_cast<int>(done * kBarWidth / job.total) : kBarWidth;
  // \r and erase-to-end-of-line redraw the bar in place.
  fmt::print(out_, "\r[{}{}] {}\x1b[K", std::string(static_cast<size_t>(filled), '#'),
             std::string(static_cast<size_t>(kBarWidth - filled), '.'),
             Line(job, started_ms_, now_ms));
  std::fflush(out_);
}

void ProgressPrinter::Finish(const store::JobSummary& job, int64_t now_ms) {
  last_plain_ms_ = -1;
  Update(job, now_ms);
  if (terminal_) fmt::print(out_, "\n");
  std::fflush(out_);
}

}  // namespace imeiflow::cli
