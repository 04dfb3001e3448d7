// JobJson: the JSON object `submit`, `job` and `jobs` print for a job:
// {"job": id, "total": n, "counts": {"<state>": n, ...}, "elapsed_s": x},
// with a count for every state of the design, zero included.
#pragma once

#include <nlohmann/json.hpp>

#include "store/job_repository.h"

namespace imeiflow::cli {

/// The counts object of `job`, `elapsed_s` seconds into it.
nlohmann::json JobJson(const store::JobSummary& job, double elapsed_s);

/// Seconds from the job's creation to its last change (or to `now_ms`
/// while items are still open).
double JobElapsedSeconds(const store::JobSummary& job, int64_t now_ms);

}  // namespace imeiflow::cli
