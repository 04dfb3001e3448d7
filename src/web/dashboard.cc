#include "web/dashboard.h"

#include <fmt/format.h>

#include "store/dispatch_repository.h"
#include "store/review_repository.h"
#include "web/format.h"
#include "web/page.h"
#include "web/settings_page.h"

namespace imeiflow::web {
namespace {

constexpr int64_t kDayMs = 86'400'000;
// Items are counted among the jobs of the last week (indexed by job), not
// among every item ever stored; a job older than that rarely still moves.
constexpr int64_t kRecentJobsMs = 7 * kDayMs;
// Running jobs shown (the newest first).
constexpr int64_t kRunningJobsShown = 50;

// Today's orders by result, and today's refused and duplicate items of the
// recent jobs: two passes, one over each table's rows of the day.
Status LoadCounts(store::Database& db, int64_t day_start, DashboardFigures& figures) {
  Result<store::Statement> orders = db.Prepare(
      "SELECT count(*), coalesce(sum(status = 'completed'), 0),"
      " coalesce(sum(status = 'rejected'), 0) FROM orders WHERE placed_at >= ?1");
  if (!orders.ok()) return orders.status();
  orders->Bind(1, day_start);
  if (Result<bool> row = orders->Step(); !row.ok()) return row.status();
  figures.ordered = orders->ColumnInt(0);
  figures.completed = orders->ColumnInt(1);
  const int64_t rejected_orders = orders->ColumnInt(2);

  Result<store::Statement> items = db.Prepare(
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

Status LoadSupplier(store::Database& db, DashboardFigures& figures) {
  Result<store::Statement> last = db.Prepare(
      "SELECT created_at, coalesce(outcome, ''), coalesce(http_status, 0), coalesce(error, '')"
      " FROM calls ORDER BY id DESC LIMIT 1");
  if (!last.ok()) return last.status();
  Result<bool> row = last->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    figures.last_call = LastCall{last->ColumnInt(0), last->ColumnText(1),
                                 static_cast<int>(last->ColumnInt(2)), last->ColumnText(3)};
  }
  Result<store::Statement> recent = db.Prepare(
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
Result<std::vector<int64_t>> RunningJobIds(store::Database& db) {
  Result<store::Statement> stmt = db.Prepare(
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

TemplateData JobRow(const store::JobSummary& job) {
  int64_t done = job.total - job.Active();
  TemplateData row;
  row.set("id", std::to_string(job.id));
  row.set("service", job.spec.service_id);
  row.set("total", WithThousands(job.total));
  row.set("done", WithThousands(done));
  row.set("percent", std::to_string(PercentOf(done, job.total)));
  row.set("counts", job.CountsText());
  return row;
}

TemplateData Stat(const std::string& label, const std::string& value) {
  TemplateData stat;
  stat.set("label", label);
  stat.set("value", value);
  return stat;
}

TemplateData SupplierData(const DashboardFigures& figures, const DispatcherStatus& dispatcher,
                          int64_t now_ms) {
  TemplateData supplier;
  supplier.set("dispatcher_state", DispatcherStateName(dispatcher.state));
  supplier.set("dispatcher_running", dispatcher.state == DispatcherState::kRunning);
  if (!dispatcher.note.empty()) supplier.set("dispatcher_note", dispatcher.note);
  if (dispatcher.state == DispatcherState::kRunning) {
    supplier.set("in_flight", std::to_string(dispatcher.stats.in_flight));
    supplier.set("limit", std::to_string(dispatcher.stats.limit));
    if (!dispatcher.stats.paused.empty()) supplier.set("paused", dispatcher.stats.paused);
  }
  if (figures.last_call) {
    const LastCall& call = *figures.last_call;
    supplier.set("last_call_at", UtcText(call.at_ms));
    supplier.set("last_call_ago", AgoText(call.at_ms, now_ms));
    std::string outcome = call.outcome.empty() ? "in flight" : call.outcome;
    if (call.http_status != 0) outcome += fmt::format(" (HTTP {})", call.http_status);
    supplier.set("last_outcome", outcome);
    supplier.set("last_ok", call.outcome == "applied");
    if (!call.error.empty()) supplier.set("last_error", call.error);
  }
  supplier.set("has_recent_calls", figures.recent_calls > 0);
  supplier.set("recent_calls", std::to_string(figures.recent_calls));
  supplier.set("error_rate",
               std::to_string(PercentOf(figures.recent_errors, figures.recent_calls)));
  return supplier;
}

void ShowDashboard(PageRequest& page) {
  const int64_t now = page.now_ms();
  Result<DashboardFigures> figures = LoadDashboardFigures(page.db, now);
  if (!figures.ok()) return page.Fail(figures.status());
  TemplateData data;
  TemplateData stats{TemplateData::type::list};
  stats.push_back(Stat("IMEIs ordered", WithThousands(figures->ordered)));
  stats.push_back(Stat("completed", WithThousands(figures->completed)));
  stats.push_back(Stat("rejected", WithThousands(figures->rejected)));
  stats.push_back(Stat("duplicates", WithThousands(figures->duplicates)));
  data.set("stats", stats);
  data.set("day", UtcText(now).substr(0, 10));
  data.set("spent", figures->spent.ToDisplay());
  if (figures->refunded.cents() > 0) data.set("refunded", figures->refunded.ToDisplay());
  Result<store::DailyCap> cap = DailyCapInForce(page.db, page.web.config);
  if (!cap.ok()) return page.Fail(cap.status());
  if (cap->cap) {
    data.set("cap", cap->cap->ToDisplay());
    data.set("cap_percent", std::to_string(PercentOf(figures->spent.cents(),
                                                     std::max<int64_t>(1, cap->cap->cents()))));
    data.set("cap_reached", figures->spent.cents() >= cap->cap->cents());
  }
  if (figures->review > 0) data.set("review", WithThousands(figures->review));
  TemplateData jobs{TemplateData::type::list};
  for (const store::JobSummary& job : figures->running) jobs.push_back(JobRow(job));
  data.set("jobs", jobs);
  data.set("has_jobs", !figures->running.empty());
  data.set("supplier", SupplierData(*figures, page.web.engine.Dispatcher(), now));
  page.Render("dashboard", "Dashboard", data);
}

}  // namespace

Result<DashboardFigures> LoadDashboardFigures(store::Database& db, int64_t now_ms) {
  DashboardFigures figures;
  const int64_t day_start = now_ms - now_ms % kDayMs;
  if (Status s = LoadCounts(db, day_start, figures); !s.ok()) return s;
  if (Status s = LoadSupplier(db, figures); !s.ok()) return s;
  Result<store::DaySpending> today = store::DispatchRepository(db).SpendingOn(now_ms);
  if (!today.ok()) return today.status();
  figures.spent = today->spent();
  figures.refunded = today->refunded;
  Result<int64_t> review = store::ReviewRepository(db).Count();
  if (!review.ok()) return review.status();
  figures.review = *review;
  Result<std::vector<int64_t>> running = RunningJobIds(db);
  if (!running.ok()) return running.status();
  store::JobRepository jobs(db);
  for (int64_t id : *running) {
    Result<store::JobSummary> job = jobs.Get(id);
    if (!job.ok()) return job.status();
    figures.running.push_back(std::move(*job));
  }
  return figures;
}

void RegisterDashboardRoutes(Router& server, WebContext& web) {
  RouteGet(server, web, "/", Role::kViewer, ShowDashboard);
}

}  // namespace imeiflow::web
