// ProgressPrinter: how `submit --wait` and `work` show a job moving: a bar
// redrawn in place on a terminal (done/total, rate, ETA, counts per state),
// otherwise one plain line every few seconds, for logs. Not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "store/job_repository.h"

namespace imeiflow::cli {

/// Prints progress of one job to a stream.
class ProgressPrinter {
 public:
  /// Prints to `out`; `terminal` chooses the bar over plain lines.
  ProgressPrinter(std::FILE* out, bool terminal, int64_t plain_interval_ms = 5000)
      : out_(out), terminal_(terminal), plain_interval_ms_(plain_interval_ms) {}

  /// Shows `job` as of `now_ms`, if it is time to (always on a terminal).
  void Update(const store::JobSummary& job, int64_t now_ms);
  /// Shows `job` one last time and ends the line.
  void Finish(const store::JobSummary& job, int64_t now_ms);

  /// The text of one progress line (without the bar), for tests and logs.
  static std::string Line(const store::JobSummary& job, int64_t started_ms, int64_t now_ms);

 private:
  std::FILE* out_;
  bool terminal_;
  int64_t plain_interval_ms_;
  int64_t started_ms_ = -1;
  int64_t last_plain_ms_ = -1;
};

}  // namespace imeiflow::cli
