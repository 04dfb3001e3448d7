#include "store/dashboard_figures.h"

#include "store/dispatch_repository.h"
#include "store/review_repository.h"

namespace imeiflow::store {
namespace {

constexpr int64_t kDayMs = 86'400'000;
// Items are counted among the jobs of the last week (indexed by job), not
// among every item ever stored; a job older than that rarely still moves.
constexpr int64_t kRecentJobsMs = 7 * kDayMs;
// Running jobs shown (the newest first).
constexpr int64_t kRunningJobsShown = 50;

// Today's orders by result, and today's refused and duplicate items of the
// recent jobs: two passes, one over each table's rows of the day.
Status LoadCounts(Database& db, int64_t day_start, DashboardFigures& figures) {
  Result<Statement> orders = db.Prepare(
      "SELECT count(*), coalesce(sum(status = 'completed'), 0),"
      " coalesce(sum(status = 'rejected'), 0) FROM orders WHERE placed_at >= ?1");
  if (!orders.ok()) return orders.status();
  orders->Bind(1, day_start);
  if (Result<bool> row = orders->Step(); !row.ok()) return row.status();
  figures.ordered = orders->ColumnInt(0);
  figures.completed = orders->ColumnInt(1);
  const int64_t rejected_orders = orders->ColumnInt(2);

  Result<Statement> items = db.Prepare(
      "SELECT coalesce(sum(state = 'rejected'), 0), coalesce(sum(state <> 'rejected'), 0)"
      " FROM items WHERE job_id IN (SELECT id FROM jobs WHERE created_at >= ?2)"
      " AND state IN ('rejected', 'duplicate', 'skipped_duplicate') AND updated_at >= ?1");
  if (!items.ok()) return items.status();
  items->Bind(1, day_start).Bind(2, day_start - kRecentJobsMs);
  if (Result<bool> row = items->Step(); !row.ok()) return row.status();
  figures.rejected = rejected_orders + items->ColumnInt(0);
  figures.duplicates = items->ColumnInt(1);
  return Status::Ok();
}

Status LoadSupplier(Database& db, DashboardFigures& figures) {
  Result<Statement> last = db.Prepare(
      "SELECT created_at, coalesce(outcome, ''), coalesce(http_status, 0), coalesce(error, '')"
      " FROM calls ORDER BY id DESC LIMIT 1");
  if (!last.ok()) return last.status();
  Result<bool> row = last->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    figures.last_call = LastCall{last->ColumnInt(0), last->ColumnText(1),
                                 static_cast<int>(last->ColumnInt(2)), last->ColumnText(3)};
  }
  Result<Statement> recent = db.Prepare(
      "SELECT count(*), coalesce(sum(outcome <> 'applied'), 0) FROM"
      " (SELECT outcome FROM calls WHERE outcome IS NOT NULL ORDER BY id DESC LIMIT ?1)");
  if (!recent.ok()) return recent.status();
  recent->Bind(1, int64_t{kErrorRateCalls});
  row = recent->Step();
  if (!row.ok()) return row.status();
  figures.recent_calls = static_cast<int>(recent->ColumnInt(0));
  figures.recent_errors = static_cast<int>(recent->ColumnInt(1));
  return Status::Ok();
}

// Jobs with items queued or in flight, newest first. Found through the
// items_by_state index: summarising every recent job instead would read
// every item of each (20,000 rows per job).
Result<std::vector<int64_t>> RunningJobIds(Database& db) {
  Result<Statement> stmt = db.Prepare(
      "SELECT job_id FROM items WHERE state IN ('queued', 'in_flight')"
      " GROUP BY job_id ORDER BY job_id DESC LIMIT ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, kRunningJobsShown);
  std::vector<int64_t> ids;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ids.push_back(stmt->ColumnInt(0));
  }
  return ids;
}

}  // namespace

Result<DashboardFigures> LoadDashboardFigures(Database& db, int64_t now_ms) {
  DashboardFigures figures;
  const int64_t day_start = now_ms - now_ms % kDayMs;
  if (Status s = LoadCounts(db, day_start, figures); !s.ok()) return s;
  if (Status s = LoadSupplier(db, figures); !s.ok()) return s;
  Result<DaySpending> today = DispatchRepository(db).SpendingOn(now_ms);
  if (!today.ok()) return today.status();
  figures.spent = today->spent();
  figures.refunded = today->refunded;
  Result<int64_t> review = ReviewRepository(db).Count();
  if (!review.ok()) return review.status();
  figures.review = *review;
  Result<std::vector<int64_t>> running = RunningJobIds(db);
  if (!running.ok()) return running.status();
  JobRepository jobs(db);
  for (int64_t id : *running) {
    Result<JobSummary> job = jobs.Get(id);
    if (!job.ok()) return job.status();
    figures.running.push_back(std::move(*job));
  }
  return figures;
}

}  // namespace imeiflow::store
