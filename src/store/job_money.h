// JobStanding: what a job cost and what became of its orders, as the supplier
// counts them (charged minus refunded), and whether the daily cap holds it
// back (paused). Read by the job page, `imeiflow job/jobs` and the API through
// ReadJobStanding(); JobJson() prints it. Pure data plus one reader function;
// the reader uses the caller's connection (not thread-safe, as Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/money.h"
#include "core/status.h"
#include "store/database.h"
#include "store/job_repository.h"

namespace imeiflow::store {

/// The money of one job.
struct JobMoney {
  Money estimated;  ///< price x the items to order (neither invalid nor skipped)
  Money charged;    ///< prices of the job's orders
  Money refunded;   ///< of those, refunded (rejected orders)
  /// What the job cost: charged minus refunded.
  Money spent() const { return charged - refunded; }
};

/// The supplier's results of the job's orders, by status.
struct JobResults {
  int64_t pending = 0;     ///< no result yet (pending, or unconfirmed: id not known)
  int64_t in_process = 0;  ///< the supplier is working on it
  int64_t completed = 0;   ///< final, with a result
  int64_t rejected = 0;    ///< final, refused (refunded)
};

/// A job's money, results and pause.
struct JobStanding {
  JobMoney money;             ///< see JobMoney
  JobResults results;         ///< see JobResults
  std::string paused_reason;  ///< why the daily cap holds it back; empty when it does not
  /// Whether the daily cap holds the job back.
  bool paused() const { return !paused_reason.empty(); }
};

/// Reads the standing of `job` at `now_ms`. It is paused when it has queued
/// items ready to send and today's spending plus the money reserved plus its
/// price exceeds the daily cap in force (`configured`: spending.daily_cap,
/// unless the settings page set one).
Result<JobStanding> ReadJobStanding(Database& db, const JobSummary& job,
                                    const std::optional<Money>& configured, int64_t now_ms);

/// "daily cap of $500.00 reached; resumes at 00:00 UTC or when the cap is raised".
std::string CapPausedReason(Money cap);

}  // namespace imeiflow::store
