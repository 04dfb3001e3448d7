// JobRepository: jobs and their items (one IMEI each), the aggregate a
// submission creates and the dispatcher works through.
//
// Creating a job applies the local duplicate guard (design rule 6) in the same
// transaction that stores the items, so two jobs submitted at once cannot both
// order the same IMEI + service. Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/item_state.h"
#include "core/money.h"
#include "core/status.h"
#include "store/database.h"
#include "store/item_transitions.h"

namespace imeiflow::store {

/// What JobRepository::Cancel did, and why items were kept.
struct CancelResult {
  int64_t cancelled = 0;       ///< queued items no call may have applied: now cancelled
  int64_t kept_resending = 0;  ///< queued to be resent after a call that may have landed
  int64_t kept_in_flight = 0;  ///< in a call whose answer has not come yet
  int64_t in_review = 0;       ///< uncertain: wait for a person (needs review)
  /// Items that could not be cancelled.
  int64_t Kept() const { return kept_resending + kept_in_flight + in_review; }
  /// "120 queued IMEIs cancelled; 9 could not be cancelled: 7 are being resent
  /// to learn whether an earlier call was charged, 2 are in flight".
  std::string Text() const;
};

/// {"id", "cancelled", "kept_resending", "kept_in_flight", "in_review"}: the
/// answer of `imeiflow cancel --json` and POST /api/v1/jobs/{id}/cancel.
nlohmann::json CancelResultJson(int64_t job_id, const CancelResult& result);

/// What a submission asks for.
struct NewJob {
  std::string service_id;  ///< the supplier's service (PackageId)
  Money price;             ///< price per IMEI when the job was created
  int batch_size = 1;      ///< IMEIs per supplier call
  bool recheck = false;    ///< order even IMEIs that already have an order
  /// Skip IMEIs whose latest order for the service was rejected (only at
  /// creation; not stored, so false in a JobSummary read back).
  bool skip_rejected = false;
  std::string source;      ///< where the IMEIs came from (file name, "paste", "api")
  std::string created_by;  ///< user name, or "cli"
};

/// One input entry of a new job.
struct NewItem {
  int line = 0;        ///< 1-based line (or row) of the input
  std::string input;   ///< the raw text
  std::string imei;    ///< 15 digits when valid; the raw text otherwise
  bool valid = true;   ///< false: stored as invalid with `reason`
  std::string reason;  ///< why it is invalid
};

/// A job with its item counts.
struct JobSummary {
  int64_t id = 0;                       ///< job id
  NewJob spec;                          ///< what was asked
  int64_t created_at = 0;               ///< Unix ms
  std::optional<int64_t> cancelled_at;  ///< Unix ms, when cancelled
  int64_t last_change_at = 0;           ///< Unix ms of the latest item change
  int64_t total = 0;                    ///< items of every state
  std::map<ItemState, int64_t> counts;  ///< items per state; every state present
  /// Items the dispatcher still has to work on (queued or in flight);
  /// uncertain items wait for a person, so they are not active.
  int64_t Active() const;
  /// "accepted 90, rejected 10": the non-zero counts, or "no items".
  std::string CountsText() const;
};

/// One item as stored.
struct ItemRecord {
  int64_t id = 0;                        ///< item id
  int64_t job_id = 0;                    ///< its job
  int line = 0;                          ///< input line
  std::string input;                     ///< raw input
  std::string imei;                      ///< normalised IMEI
  ItemState state = ItemState::kQueued;  ///< where it stands
  std::string reason;                    ///< why (invalid, rejected, failed, duplicate of ...)
  int attempts = 0;                      ///< calls it was part of
  std::optional<int64_t> order_id;       ///< the local order, once known
};

/// Which jobs to list (newest first).
struct JobListFilter {
  std::optional<int64_t> since_ms;  ///< created at or after
  std::optional<int64_t> until_ms;  ///< created before (exclusive)
  int64_t offset = 0;               ///< jobs to skip
  int64_t limit = -1;               ///< at most this many; -1: all
};

/// Jobs and items.
class JobRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit JobRepository(Database& db) : db_(db) {}

  /// Stores a job and its items in one transaction and returns its id.
  /// Valid items whose IMEI + service already has a non-rejected order, or
  /// an open item in another job, become skipped_duplicate (unless recheck);
  /// with skip_rejected, so do those whose latest order was rejected
  /// (reason "rejected before: <the supplier's reason>"). See DuplicateGuard.
  Result<int64_t> Create(const NewJob& job, const std::vector<NewItem>& items, int64_t now_ms);
  /// The job `id` with its counts; NotFound if there is none.
  Result<JobSummary> Get(int64_t id);
  /// The newest `limit` jobs, newest first.
  Result<std::vector<JobSummary>> List(int limit);
  /// `limit` jobs from `offset`, newest first (a page of the job list).
  Result<std::vector<JobSummary>> ListPage(int64_t offset, int64_t limit);
  /// How many jobs there are.
  Result<int64_t> Count();
  /// The jobs created in `filter`'s time range, newest first, paged by it.
  Result<std::vector<JobSummary>> Find(const JobListFilter& filter);
  /// How many jobs were created in `filter`'s time range (paging ignored).
  Result<int64_t> CountFound(const JobListFilter& filter);
  /// Items of job `id` ordered by line, `limit` from `offset`.
  Result<std::vector<ItemRecord>> Items(int64_t id, int64_t offset, int64_t limit);
  /// Marks the job cancelled and cancels its items that no call may have
  /// applied (kNoCallMayHaveAppliedSql), with an audit row "job.cancel" by
  /// `actor`, in one transaction; items that may be charged are kept
  /// (in-flight calls finish, resends go on, review waits). Says how many
  /// were cancelled and how many kept, and why.
  Result<CancelResult> Cancel(int64_t id, const std::string& actor, int64_t now_ms);
  /// Whether any item of job `id` is queued or in flight (a cheap indexed look-up).
  Result<bool> HasActiveItems(int64_t id);
  /// Queues the job's failed items again with a fresh retry budget, with an
  /// audit row "job.retry" by `actor`, in one transaction; returns how many.
  /// InvalidArgument for a cancelled job.
  Result<int64_t> RetryFailed(int64_t id, const std::string& actor, int64_t now_ms);

 private:
  Result<JobSummary> Summarise(Statement& job_row);
  Database& db_;
};

}  // namespace imeiflow::store
