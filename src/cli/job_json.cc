#include "cli/job_json.h"

#include <algorithm>

namespace imeiflow::cli {

nlohmann::json JobJson(const store::JobSummary& job, double elapsed_s) {
  nlohmann::json counts = nlohmann::json::object();
  for (ItemState s : kAllItemStates) {
    auto it = job.counts.find(s);
    counts[std::string(ItemStateName(s))] = it == job.counts.end() ? 0 : it->second;
  }
  return {{"job", job.id},
          {"service_id", job.spec.service_id},
          {"total", job.total},
          {"counts", counts},
          {"elapsed_s", elapsed_s}};
}

double JobElapsedSeconds(const store::JobSummary& job, int64_t now_ms) {
  int64_t end = job.Active() > 0 ? now_ms : std::max(job.last_change_at, job.created_at);
  return std::max<int64_t>(0, end - job.created_at) / 1000.0;
}

}  // namespace imeiflow::cli
