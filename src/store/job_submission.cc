#include "store/job_submission.h"

#include <fmt/format.h>

namespace imeiflow::store {

std::vector<NewItem> ItemsOf(const CheckReport& report) {
  std::vector<NewItem> items;
  items.reserve(report.imeis.size() + report.invalid.size());
  for (size_t i = 0; i < report.imeis.size(); ++i) {
    items.push_back({report.imei_lines[i], report.imeis[i], report.imeis[i], true, ""});
  }
  for (const InvalidEntry& e : report.invalid) {
    items.push_back({e.line, e.input, e.input, false, e.reason});
  }
  return items;
}

Result<Submission> SubmitJob(Database& db, const CachedService& service, const CheckReport& report,
                             const SubmissionOptions& options, int64_t now_ms) {
  NewJob spec;
  spec.service_id = service.id;
  spec.price = service.price;
  spec.batch_size = options.batch_size;
  spec.recheck = options.recheck;
  spec.source = options.source;
  spec.created_by = options.created_by;
  JobRepository jobs(db);
  Result<int64_t> id = jobs.Create(spec, ItemsOf(report), now_ms);
  if (!id.ok()) return id.status();
  Result<JobSummary> job = jobs.Get(*id);
  if (!job.ok()) return job.status();
  Submission submission{std::move(*job), {}};
  const std::map<ItemState, int64_t>& counts = submission.job.counts;
  submission.estimated_cost = service.price * counts.at(ItemState::kQueued);

  // After the job's own transaction: a failure here leaves a job without its
  // audit row, which is reported, but never an audited job that does not exist.
  Result<Statement> audit =
      db.Prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)");
  if (!audit.ok()) return audit.status();
  std::string detail = fmt::format(
      "job {}: {} IMEIs queued, {} invalid, {} already ordered, service {} (est. {}), from {}", *id,
      counts.at(ItemState::kQueued), counts.at(ItemState::kInvalid),
      counts.at(ItemState::kSkippedDuplicate), service.id, submission.estimated_cost.ToDisplay(),
      options.source);
  Status s = audit->Bind(1, now_ms)
                 .Bind(2, options.created_by)
                 .Bind(3, "job.submit")
                 .Bind(4, detail)
                 .Run();
  if (!s.ok()) return s;
  return submission;
}

}  // namespace imeiflow::store
