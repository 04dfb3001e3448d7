// SubmitJob: the one way a job is created from checked input, shared by
// `imeiflow submit`, the web API's POST /api/v1/jobs and the web pages:
// the job and its items in one transaction (JobRepository::Create, with the
// duplicate guard), an audit row naming who asked, and the counts the caller
// reports (queued, invalid, already ordered, estimated cost). PreviewSubmission
// is the read-only look before it that web, CLI and API show: what would be
// ordered, what is skipped, which IMEIs were rejected before and why, the cost
// and today's spend against the daily cap.
// Not thread-safe: one call at a time per Database connection.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/input.h"
#include "core/money.h"
#include "core/status.h"
#include "store/database.h"
#include "store/job_repository.h"
#include "store/job_sheet.h"
#include "store/service_repository.h"

namespace imeiflow::store {

/// What a submission asks for besides its IMEIs and service.
struct SubmissionOptions {
  int batch_size = 1;          ///< IMEIs per supplier call
  bool recheck = false;        ///< order IMEIs that already have an order too
  bool skip_rejected = false;  ///< leave out IMEIs whose latest order was rejected
  std::string source;          ///< where the IMEIs came from: a file name, "stdin", "api"
  std::string created_by;      ///< the user name, or "cli"; also the audit row's actor
  /// The uploaded CSV or XLSX the IMEIs came from, kept with the job for its
  /// sheet with results (store/job_sheet.h); null for pasted text.
  const UploadedSheet* sheet = nullptr;
};

/// A job just created.
struct Submission {
  JobSummary job;                 ///< the job with its counts right after creation
  Money estimated_cost;           ///< the service's price times the IMEIs queued
  int64_t rejected_left_out = 0;  ///< IMEIs skipped as rejected before (skip_rejected)
};

/// Today's spend against the daily cap, as a submission shows it.
struct DailySpending {
  Money spent;               ///< spent today (UTC)
  std::optional<Money> cap;  ///< the daily cap, if one is set
  /// Whether spending `more` on top of today's spend goes over the cap.
  bool Exceeds(Money more) const { return cap && (spent + more) > *cap; }
};

/// Today's spend and the daily cap in force (the settings page's, else
/// `configured`: spending.daily_cap; none: no cap): the one place
/// submissions read these figures.
Result<DailySpending> SpendingToday(Database& db, const std::optional<Money>& configured,
                                    int64_t now_ms);

/// A valid IMEI of the input that a submission skips or warns about.
struct PreviewImei {
  int line = 0;        ///< its line (or row; for the API, its index + 1)
  std::string imei;    ///< the IMEI
  std::string reason;  ///< "already ordered (order 12)", or the supplier's rejection reason
};

/// How often one rejection reason occurs among the rejected-before IMEIs.
struct ReasonCount {
  std::string reason;  ///< the supplier's reason
  int64_t count = 0;   ///< IMEIs rejected for it
};

/// What SubmitJob would do with a checked input, computed without writing.
struct SubmissionPreview {
  int64_t valid = 0;                         ///< valid IMEIs (repeats counted once)
  std::vector<InvalidEntry> invalid;         ///< invalid entries with lines and reasons
  std::vector<PreviewImei> already_ordered;  ///< skipped: an order or an open item exists
  std::vector<PreviewImei> rejected_before;  ///< the latest order was rejected (not skipped above)
  std::vector<ReasonCount> top_reasons;      ///< of rejected_before, most frequent first
  bool recheck = false;                      ///< already ordered IMEIs are ordered again
  bool skip_rejected = false;                ///< rejected_before is left out
  int64_t to_order = 0;                      ///< IMEIs the job would queue
  Money price;                               ///< per IMEI
  Money estimated_cost;                      ///< price times to_order
  DailySpending spending;                    ///< today's spend and the cap
};

/// Most reasons SubmissionPreview::top_reasons lists.
inline constexpr size_t kTopReasons = 5;

/// The preview of submitting `report` to `service` with `options` (the same
/// guard as JobRepository::Create); `configured_cap` as for SpendingToday.
Result<SubmissionPreview> PreviewSubmission(Database& db, const CachedService& service,
                                            const CheckReport& report,
                                            const SubmissionOptions& options,
                                            const std::optional<Money>& configured_cap,
                                            int64_t now_ms);

/// Items of jobs older than `job_id` still queued or in flight: what the
/// dispatcher (first in, first out by job) sends before this job's items.
Result<int64_t> QueuedAhead(Database& db, int64_t job_id);

/// The preview as JSON (money as decimal strings), for `submit --dry-run
/// --json` and the API: valid, invalid, already_ordered, rejected_before
/// {count, skipped, top_reasons, imeis}, to_order, estimated_cost, spent_today,
/// daily_cap (null when none).
nlohmann::json PreviewJson(const SubmissionPreview& preview);

/// The items of a new job from checked input: every valid IMEI with its
/// line, then every invalid entry with its reason.
std::vector<NewItem> ItemsOf(const CheckReport& report);

/// Creates the job for `report`'s entries at `service`'s current price,
/// keeps options.sheet with it, and audits it ("job.submit", actor
/// options.created_by).
Result<Submission> SubmitJob(Database& db, const CachedService& service, const CheckReport& report,
                             const SubmissionOptions& options, int64_t now_ms);

}  // namespace imeiflow::store
