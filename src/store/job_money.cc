#include "store/job_money.h"

#include <fmt/format.h>

#include "store/dispatch_repository.h"
#include "store/settings_repository.h"

namespace imeiflow::store {
namespace {

int64_t CountOf(const JobSummary& job, ItemState state) {
  auto it = job.counts.find(state);
  return it == job.counts.end() ? 0 : it->second;
}

// The job's orders through its items (items_by_job), each order once.
constexpr std::string_view kOrdersSql =
    "SELECT coalesce(sum(price_cents), 0),"
    " coalesce(sum(CASE WHEN refunded_at IS NOT NULL THEN price_cents END), 0),"
    " count(CASE WHEN status IN ('pending', 'unconfirmed') THEN 1 END),"
    " count(CASE WHEN status = 'in_process' THEN 1 END),"
    " count(CASE WHEN status = 'completed' THEN 1 END),"
    " count(CASE WHEN status = 'rejected' THEN 1 END)"
    " FROM orders WHERE job_id = ?1 AND id IN"
    " (SELECT order_id FROM items WHERE job_id = ?1 AND order_id IS NOT NULL)";

Result<bool> HasReadyItems(Database& db, int64_t job_id, int64_t now_ms) {
  Result<Statement> row = db.Prepare(
      "SELECT EXISTS (SELECT 1 FROM items WHERE job_id = ?1 AND state = 'queued'"
      " AND not_before <= ?2)");
  if (!row.ok()) return row.status();
  row->Bind(1, job_id).Bind(2, now_ms);
  if (Result<bool> r = row->Step(); !r.ok()) return r.status();
  return row->ColumnInt(0) != 0;
}

// Why the daily cap holds `job` back, or "".
Result<std::string> PausedReason(Database& db, const JobSummary& job,
                                 const std::optional<Money>& configured, int64_t now_ms) {
  if (job.cancelled_at || CountOf(job, ItemState::kQueued) == 0) return std::string();
  Result<DailyCap> cap = SettingsRepository(db).DailyCapInForce(configured);
  if (!cap.ok()) return cap.status();
  if (!cap->cap) return std::string();
  Result<bool> ready = HasReadyItems(db, job.id, now_ms);
  if (!ready.ok()) return ready.status();
  if (!*ready) return std::string();
  DispatchRepository dispatch(db);
  Result<Money> spent = dispatch.SpentToday(now_ms);
  if (!spent.ok()) return spent.status();
  Result<Money> reserved = dispatch.Reserved();
  if (!reserved.ok()) return reserved.status();
  if (*spent + *reserved + job.spec.price <= *cap->cap) return std::string();
  return CapPausedReason(*cap->cap);
}

}  // namespace

std::string CapPausedReason(Money cap) {
  return fmt::format("daily cap of {} reached; resumes at 00:00 UTC or when the cap is raised",
                     cap.ToDisplay());
}

Result<JobStanding> ReadJobStanding(Database& db, const JobSummary& job,
                                    const std::optional<Money>& configured, int64_t now_ms) {
  JobStanding standing;
  int64_t to_order =
      job.total - CountOf(job, ItemState::kInvalid) - CountOf(job, ItemState::kSkippedDuplicate);
  standing.money.estimated = job.spec.price * to_order;
  Result<Statement> row = db.Prepare(kOrdersSql);
  if (!row.ok()) return row.status();
  row->Bind(1, job.id);
  if (Result<bool> r = row->Step(); !r.ok()) return r.status();
  standing.money.charged = Money::FromCents(row->ColumnInt(0));
  standing.money.refunded = Money::FromCents(row->ColumnInt(1));
  standing.results = {row->ColumnInt(2), row->ColumnInt(3), row->ColumnInt(4), row->ColumnInt(5)};
  Result<std::string> paused = PausedReason(db, job, configured, now_ms);
  if (!paused.ok()) return paused.status();
  standing.paused_reason = std::move(*paused);
  return standing;
}

}  // namespace imeiflow::store
