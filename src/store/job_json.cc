#include "store/job_json.h"

#include <algorithm>

namespace imeiflow::store {

nlohmann::json JobCountsJson(const JobSummary& job) {
  nlohmann::json counts = nlohmann::json::object();
  for (ItemState s : kAllItemStates) {
    auto it = job.counts.find(s);
    counts[std::string(ItemStateName(s))] = it == job.counts.end() ? 0 : it->second;
  }
  return counts;
}

nlohmann::json JobJson(const JobSummary& job, double elapsed_s) {
  return {{"job", job.id},
          {"service_id", job.spec.service_id},
          {"total", job.total},
          {"counts", JobCountsJson(job)},
          {"elapsed_s", elapsed_s}};
}

std::string_view JobStateName(const JobSummary& job) {
  if (job.cancelled_at) return "cancelled";
  if (job.Active() > 0) return "running";
  auto uncertain = job.counts.find(ItemState::kUncertain);
  if (uncertain != job.counts.end() && uncertain->second > 0) return "review";
  return "done";
}

double JobElapsedSeconds(const JobSummary& job, int64_t now_ms) {
  int64_t end = job.Active() > 0 ? now_ms : std::max(job.last_change_at, job.created_at);
  return std::max<int64_t>(0, end - job.created_at) / 1000.0;
}

}  // namespace imeiflow::store
