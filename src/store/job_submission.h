// SubmitJob: the one way a job is created from checked input, shared by
// `imeiflow submit`, the web API's POST /api/v1/jobs and the web pages:
// the job and its items in one transaction (JobRepository::Create, with the
// duplicate guard), an audit row naming who asked, and the counts the caller
// reports (queued, invalid, already ordered, estimated cost).
// Not thread-safe: one call at a time per Database connection.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/input.h"
#include "core/money.h"
#include "core/status.h"
#include "store/database.h"
#include "store/job_repository.h"
#include "store/service_repository.h"

namespace imeiflow::store {

/// What a submission asks for besides its IMEIs and service.
struct SubmissionOptions {
  int batch_size = 1;      ///< IMEIs per supplier call
  bool recheck = false;    ///< order IMEIs that already have an order too
  std::string source;      ///< where the IMEIs came from: a file name, "stdin", "api"
  std::string created_by;  ///< the user name, or "cli"; also the audit row's actor
};

/// A job just created.
struct Submission {
  JobSummary job;        ///< the job with its counts right after creation
  Money estimated_cost;  ///< the service's price times the IMEIs queued
};

/// The items of a new job from checked input: every valid IMEI with its
/// line, then every invalid entry with its reason.
std::vector<NewItem> ItemsOf(const CheckReport& report);

/// Creates the job for `report`'s entries at `service`'s current price and
/// audits it ("job.submit", actor options.created_by).
Result<Submission> SubmitJob(Database& db, const CachedService& service, const CheckReport& report,
                             const SubmissionOptions& options, int64_t now_ms);

}  // namespace imeiflow::store
