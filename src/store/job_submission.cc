#include "store/job_submission.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "store/dispatch_repository.h"
#include "store/duplicate_guard.h"
#include "store/settings_repository.h"

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
  spec.skip_rejected = options.skip_rejected;
  spec.source = options.source;
  spec.created_by = options.created_by;
  JobRepository jobs(db);
  Result<int64_t> id = jobs.Create(spec, ItemsOf(report), now_ms);
  if (!id.ok()) return id.status();
  // Its own transaction after the job's: a failure leaves a job without its
  // sheet (the download then says so), reported here, never a lost order.
  if (options.sheet != nullptr) {
    if (Status kept = SaveJobSheet(db, *id, *options.sheet, report); !kept.ok()) {
      return Status(kept.code(), fmt::format("job {} was created, but its sheet was not kept: {}",
                                             *id, kept.message()));
    }
  }
  Result<JobSummary> job = jobs.Get(*id);
  if (!job.ok()) return job.status();
  Submission submission{std::move(*job), {}, 0};
  const std::map<ItemState, int64_t>& counts = submission.job.counts;
  submission.estimated_cost = service.price * counts.at(ItemState::kQueued);
  if (options.skip_rejected) {
    Result<Statement> left_out = db.Prepare(
        "SELECT count(*) FROM items WHERE job_id = ?1 AND state = 'skipped_duplicate'"
        " AND reason LIKE 'rejected before:%'");
    if (!left_out.ok()) return left_out.status();
    left_out->Bind(1, *id);
    Result<bool> row = left_out->Step();
    if (!row.ok()) return row.status();
    submission.rejected_left_out = left_out->ColumnInt(0);
  }

  // After the job's own transaction: a failure here leaves a job without its
  // audit row, which is reported, but never an audited job that does not exist.
  Result<Statement> audit =
      db.Prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)");
  if (!audit.ok()) return audit.status();
  std::string detail = fmt::format(
      "job {}: {} IMEIs queued, {} invalid, {} already ordered, {} rejected before left out,"
      " service {} (est. {}), from {}",
      *id, counts.at(ItemState::kQueued), counts.at(ItemState::kInvalid),
      counts.at(ItemState::kSkippedDuplicate) - submission.rejected_left_out,
      submission.rejected_left_out, service.id, submission.estimated_cost.ToDisplay(),
      options.source);
  Status s = audit->Bind(1, now_ms)
                 .Bind(2, options.created_by)
                 .Bind(3, "job.submit")
                 .Bind(4, detail)
                 .Run();
  if (!s.ok()) return s;
  return submission;
}

Result<DailySpending> SpendingToday(Database& db, const std::optional<Money>& configured,
                                    int64_t now_ms) {
  DailySpending spending;
  Result<Money> spent = DispatchRepository(db).SpentToday(now_ms);
  if (!spent.ok()) return spent.status();
  spending.spent = *spent;
  // The settings page's cap, when set, overrides the configuration's.
  Result<DailyCap> in_force = SettingsRepository(db).DailyCapInForce(configured);
  if (!in_force.ok()) return in_force.status();
  spending.cap = in_force->cap;
  return spending;
}

Result<SubmissionPreview> PreviewSubmission(Database& db, const CachedService& service,
                                            const CheckReport& report,
                                            const SubmissionOptions& options,
                                            const std::optional<Money>& configured_cap,
                                            int64_t now_ms) {
  SubmissionPreview preview;
  preview.valid = static_cast<int64_t>(report.imeis.size());
  preview.invalid = report.invalid;
  preview.recheck = options.recheck;
  preview.skip_rejected = options.skip_rejected;
  preview.price = service.price;
  Result<DuplicateGuard> guard = DuplicateGuard::Prepare(db, /*report_rejected=*/true);
  if (!guard.ok()) return guard.status();
  std::map<std::string, int64_t> reasons;
  for (size_t i = 0; i < report.imeis.size(); ++i) {
    Result<GuardVerdict> verdict =
        guard->Check(report.imeis[i], service.id, options.recheck, options.skip_rejected);
    if (!verdict.ok()) return verdict.status();
    const int line = report.imei_lines[i];
    if (verdict->already_ordered) {
      preview.already_ordered.push_back({line, report.imeis[i], verdict->reason});
      continue;
    }
    if (verdict->rejected_reason) {
      preview.rejected_before.push_back({line, report.imeis[i], *verdict->rejected_reason});
      ++reasons[*verdict->rejected_reason];
    }
    if (verdict->state == ItemState::kQueued) ++preview.to_order;
  }
  for (const auto& [reason, count] : reasons) preview.top_reasons.push_back({reason, count});
  std::stable_sort(preview.top_reasons.begin(), preview.top_reasons.end(),
                   [](const ReasonCount& a, const ReasonCount& b) { return a.count > b.count; });
  if (preview.top_reasons.size() > kTopReasons) preview.top_reasons.resize(kTopReasons);
  preview.estimated_cost = service.price * preview.to_order;
  Result<DailySpending> spending = SpendingToday(db, configured_cap, now_ms);
  if (!spending.ok()) return spending.status();
  preview.spending = *spending;
  return preview;
}

Result<int64_t> QueuedAhead(Database& db, int64_t job_id) {
  Result<Statement> count = db.Prepare(
      "SELECT count(*) FROM items WHERE job_id < ?1 AND state IN ('queued', 'in_flight')");
  if (!count.ok()) return count.status();
  count->Bind(1, job_id);
  Result<bool> row = count->Step();
  if (!row.ok()) return row.status();
  return count->ColumnInt(0);
}

nlohmann::json PreviewJson(const SubmissionPreview& preview) {
  using nlohmann::json;
  auto imeis = [](const std::vector<PreviewImei>& list) {
    json out = json::array();
    for (const PreviewImei& p : list) {
      out.push_back({{"line", p.line}, {"imei", p.imei}, {"reason", p.reason}});
    }
    return out;
  };
  json invalid = json::array();
  for (const InvalidEntry& e : preview.invalid) {
    invalid.push_back({{"line", e.line}, {"input", e.input}, {"reason", e.reason}});
  }
  json reasons = json::array();
  for (const ReasonCount& r : preview.top_reasons) {
    reasons.push_back({{"reason", r.reason}, {"count", r.count}});
  }
  return {
      {"valid", preview.valid},
      {"invalid", invalid},
      {"already_ordered",
       {{"count", preview.already_ordered.size()},
        {"skipped", !preview.recheck},
        {"imeis", imeis(preview.already_ordered)}}},
      {"rejected_before",
       {{"count", preview.rejected_before.size()},
        {"skipped", preview.skip_rejected},
        {"top_reasons", reasons},
        {"imeis", imeis(preview.rejected_before)}}},
      {"to_order", preview.to_order},
      {"price", preview.price.ToDecimal()},
      {"estimated_cost", preview.estimated_cost.ToDecimal()},
      {"spent_today", preview.spending.spent.ToDecimal()},
      {"daily_cap", preview.spending.cap ? json(preview.spending.cap->ToDecimal()) : json(nullptr)},
      {"over_cap", preview.spending.Exceeds(preview.estimated_cost)},
  };
}

}  // namespace imeiflow::store
