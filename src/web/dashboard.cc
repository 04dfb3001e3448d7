#include "web/dashboard.h"

#include <fmt/format.h>

#include "web/format.h"
#include "web/page.h"
#include "web/settings_page.h"

namespace imeiflow::web {
namespace {

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

TemplateData SupplierData(const store::DashboardFigures& figures,
                          const DispatcherStatus& dispatcher, int64_t now_ms) {
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
    const store::LastCall& call = *figures.last_call;
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
  Result<store::DashboardFigures> figures = store::LoadDashboardFigures(page.db, now);
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

void RegisterDashboardRoutes(Router& server, WebContext& web) {
  RouteGet(server, web, "/", Role::kViewer, ShowDashboard);
}

}  // namespace imeiflow::web
