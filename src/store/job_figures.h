// JobFigures: what a job's orders say about the phones (FMI on/off, SIM-lock,
// blacklist, top carriers), counted from the parsed result columns of the
// orders the job placed (orders.job_id, as JobResults counts them) with the
// orders page's own result filters (OrderRepository::Count), so each figure
// equals what its link to the orders page lists; and each
// item of a job next to its order's result, for the job page.
//
// Values are the supplier's text ("ON", "On", "FMI: ON", "Locked", "Clean"),
// so they are matched case-insensitively as whole words; the orders page
// filters (fmi=on, simlock=locked, blacklisted=yes, ...) count the same way.
// Plain data plus reader functions on the caller's connection (not
// thread-safe, as Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/database.h"
#include "store/job_repository.h"

namespace imeiflow::store {

/// The shop's words for a job state (JobStateName): "waiting to start",
/// "sending", "paused", "needs review", "finished", "cancelled"; the job
/// pages and `imeiflow jobs` show these, JSON keeps the names.
std::string_view JobStateWord(std::string_view state);

/// The result summary of a checker job's orders (only results have these fields).
struct JobResultSummary {
  int64_t fmi_on = 0;       ///< Find My iPhone: on
  int64_t fmi_off = 0;      ///< Find My iPhone: off
  int64_t locked = 0;       ///< SIM-locked
  int64_t unlocked = 0;     ///< not SIM-locked
  int64_t blacklisted = 0;  ///< blacklisted=yes of the orders filter
  int64_t clean = 0;        ///< blacklisted=no of the orders filter
  /// The most frequent carriers, most first (ties by name), counted as their links list.
  std::vector<std::pair<std::string, int64_t>> top_carriers;
  /// Whether any figure is known (a checker service's results).
  bool Any() const;
};

/// Reads the summary of job `job_id`'s completed orders, with up to
/// `carriers` top carriers.
Result<JobResultSummary> ReadJobResultSummary(Database& db, int64_t job_id, int carriers = 5);

/// One item of a job with its order's result, when it has an order.
struct ItemResult {
  ItemRecord item;           ///< the item as stored
  std::string order_status;  ///< the order's stored status; empty without an order
  std::string carrier;       ///< parsed result fields of the order (empty when absent)
  std::string simlock;       ///< "
  std::string fmi;           ///< "
  std::string gsma_status;   ///< "
  std::string code;          ///< the supplier's text (its reason when rejected)
};

/// Items of job `job_id` ordered by line, `limit` from `offset`, each with
/// its order's result (the order it placed or, when already ordered, the
/// order it was found to duplicate).
Result<std::vector<ItemResult>> ReadItemResults(Database& db, int64_t job_id, int64_t offset,
                                                int64_t limit);

}  // namespace imeiflow::store
