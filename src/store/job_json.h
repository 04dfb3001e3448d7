// JobJson: a job as JSON, for the commands (`submit`, `job`, `jobs` print
// {"job": id, "service_id": "...", "total": n, "counts": {...}, "elapsed_s": x})
// and the web API (which adds the job's state). With a JobStanding it adds the
// state, "paused_reason" (when paused), "money" {"estimated", "charged",
// "refunded", "spent"} (decimal strings) and "results" {"pending",
// "in_process", "completed", "rejected"}. The counts object has a count
// for every state of the design, zero included. Pure functions: safe from any
// thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "store/job_money.h"
#include "store/job_repository.h"

namespace imeiflow::store {

/// The counts object of `job`, `elapsed_s` seconds into it.
nlohmann::json JobJson(const JobSummary& job, double elapsed_s);

/// JobJson() with the state, pause, money and results of `standing`.
nlohmann::json JobJson(const JobSummary& job, double elapsed_s, const JobStanding& standing);

/// {"estimated": "5.60", "charged", "refunded", "spent"} of `money`.
nlohmann::json JobMoneyJson(const JobMoney& money);

/// {"pending": n, "in_process", "completed", "rejected"} of `results`.
nlohmann::json JobResultsJson(const JobResults& results);

/// {"<state>": n, ...} for every item state, zero included.
nlohmann::json JobCountsJson(const JobSummary& job);

/// Where the job as a whole stands: "cancelled" (cancel was asked), "paused"
/// (`paused`: the daily cap holds its queued items back), "queued" (nothing
/// sent yet), "running" (items queued or in flight), "review" (nothing left
/// to send, but items are uncertain and wait for a person), or "done".
std::string_view JobStateName(const JobSummary& job, bool paused = false);

/// Seconds from the job's creation to its last change (or to `now_ms`
/// while items are still open).
double JobElapsedSeconds(const JobSummary& job, int64_t now_ms);

}  // namespace imeiflow::store
