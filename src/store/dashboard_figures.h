// DashboardFigures: what the dashboard shows, read from the database in one
// place: today's figures (IMEIs ordered, completed, rejected, duplicates),
// money spent, items in review, running jobs, and the supplier's latest calls.
// "Today" is the UTC day, as for spending. A value type; LoadDashboardFigures
// uses the connection it is given (not thread-safe, like Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/status.h"
#include "store/database.h"
#include "store/job_repository.h"

namespace imeiflow::store {

/// How many recent supplier calls the error rate covers.
inline constexpr int kErrorRateCalls = 100;

/// The supplier's latest call.
struct LastCall {
  int64_t at_ms = 0;    ///< when it was sent
  std::string outcome;  ///< applied, not_applied, unknown, fatal; "" while in flight
  int http_status = 0;  ///< 0 when none
  std::string error;    ///< what went wrong, if anything
};

/// What the dashboard shows, read from the database.
struct DashboardFigures {
  int64_t ordered = 0;     ///< IMEIs the supplier took today (accepted, accepted_unconfirmed)
  int64_t completed = 0;   ///< of today's orders, those with a result
  int64_t rejected = 0;    ///< IMEIs refused today, plus today's orders whose result is rejected
  int64_t duplicates = 0;  ///< IMEIs found already ordered today (locally or by the supplier)
  int64_t review = 0;      ///< items awaiting a person's decision
  Money spent;             ///< charged today minus refunded (what the cap counts)
  Money refunded;          ///< refunded of what was charged today
  std::vector<JobSummary> running;    ///< jobs with items queued or in flight (newest 50)
  std::optional<LastCall> last_call;  ///< the supplier's latest call
  int recent_calls = 0;               ///< finished calls the error rate covers
  int recent_errors = 0;              ///< of them, not applied, unknown or fatal
};

/// Reads the figures of the UTC day of `now_ms`.
Result<DashboardFigures> LoadDashboardFigures(Database& db, int64_t now_ms);

}  // namespace imeiflow::store
