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

nlohmann::json JobMoneyJson(const JobMoney& money) {
  return {{"estimated", money.estimated.ToDecimal()},
          {"charged", money.charged.ToDecimal()},
          {"refunded", money.refunded.ToDecimal()},
          {"spent", money.spent().ToDecimal()}};
}

nlohmann::json JobResultsJson(const JobResults& results) {
  return {{"pending", results.pending},
          {"in_process", results.in_process},
          {"completed", results.completed},
          {"rejected", results.rejected}};
}

nlohmann::json JobJson(const JobSummary& job, double elapsed_s, const JobStanding& standing) {
  nlohmann::json json = JobJson(job, elapsed_s);
  json["state"] = JobStateName(job, standing.paused());
  if (standing.paused()) json["paused_reason"] = standing.paused_reason;
  json["money"] = JobMoneyJson(standing.money);
  json["results"] = JobResultsJson(standing.results);
  return json;
}

std::string_view JobStateName(const JobSummary& job, bool paused) {
  if (job.cancelled_at) return "cancelled";
  if (job.Active() > 0) {
    if (paused) return "paused";
    auto open = [&](ItemState s) {
      auto it = job.counts.find(s);
      return it == job.counts.end() ? int64_t{0} : it->second;
    };
    int64_t unsent =
        open(ItemState::kQueued) + open(ItemState::kInvalid) + open(ItemState::kSkippedDuplicate);
    return unsent == job.total ? "queued" : "running";
  }
  auto uncertain = job.counts.find(ItemState::kUncertain);
  if (uncertain != job.counts.end() && uncertain->second > 0) return "review";
  return "done";
}

double JobElapsedSeconds(const JobSummary& job, int64_t now_ms) {
  int64_t end = job.Active() > 0 ? now_ms : std::max(job.last_change_at, job.created_at);
  return std::max<int64_t>(0, end - job.created_at) / 1000.0;
}

}  // namespace imeiflow::store
