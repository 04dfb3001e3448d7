#include "web/jobs_routes.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "store/job_figures.h"
#include "store/job_json.h"
#include "store/job_money.h"
#include "store/job_repository.h"
#include "store/job_sheet.h"
#include "web/cookies.h"
#include "web/format.h"
#include "web/job_progress.h"
#include "web/page.h"

namespace imeiflow::web {
namespace {

constexpr int64_t kJobsPerPage = 25;
constexpr int64_t kItemsPerPage = 100;
constexpr auto kEventInterval = std::chrono::milliseconds(500);

// Previous / next links for page `number` of `rows_total` rows.
void SetPager(TemplateData& data, const std::string& base, int64_t number, int64_t per_page,
              int64_t rows_total) {
  const int64_t pages = std::max<int64_t>(1, (rows_total + per_page - 1) / per_page);
  data.set("page", std::to_string(number));
  data.set("pages", std::to_string(pages));
  if (number > 1) data.set("prev_href", fmt::format("{}?page={}", base, number - 1));
  if (number < pages) data.set("next_href", fmt::format("{}?page={}", base, number + 1));
}

// The money, results and pause of `job` (the daily cap in force).
Result<store::JobStanding> StandingOf(store::Database& db, const WebContext& web,
                                      const store::JobSummary& job, int64_t now_ms) {
  Result<std::optional<Money>> cap = web.config.spending.DailyCap();
  if (!cap.ok()) return cap.status();
  return store::ReadJobStanding(db, job, *cap, now_ms);
}

void ListJobs(PageRequest& page) {
  Result<int64_t> total = store::JobRepository(page.db).Count();
  if (!total.ok()) return page.Fail(total.status());
  const int64_t number = ClampedPage(page.Field("page"), *total, kJobsPerPage);
  Result<std::vector<store::JobSummary>> jobs =
      store::JobRepository(page.db).ListPage((number - 1) * kJobsPerPage, kJobsPerPage);
  if (!jobs.ok()) return page.Fail(jobs.status());
  TemplateData rows{TemplateData::type::list};
  for (const store::JobSummary& job : *jobs) {
    Result<store::JobStanding> standing = StandingOf(page.db, page.web, job, page.now_ms());
    if (!standing.ok()) return page.Fail(standing.status());
    JobProgress progress = ProgressOf(job, page.now_ms(), standing->paused_reason);
    TemplateData row;
    row.set("id", std::to_string(job.id));
    row.set("service", job.spec.service_id);
    row.set("state", std::string(store::JobStateWord(progress.state)));
    row.set("cancelled", job.cancelled_at.has_value());
    row.set("total", WithThousands(job.total));
    row.set("finished", WithThousands(progress.finished));
    row.set("percent", std::to_string(progress.percent));
    row.set("counts", SendingText(job));
    row.set("created", UtcText(job.created_at));
    row.set("created_by", job.spec.created_by);
    rows.push_back(row);
  }
  TemplateData data;
  data.set("jobs", rows);
  data.set("has_jobs", !jobs->empty());
  data.set("can_submit", Allows(page.session().role, Role::kOperator));
  SetPager(data, "/jobs", number, kJobsPerPage, *total);
  page.Render("jobs", "Jobs", data);
}

// The job of the request's first match, or an error page (false).
std::optional<store::JobSummary> LoadJob(PageRequest& page) {
  const std::string id_text = page.request.matches[1];
  if (id_text.size() > 15) {
    page.ErrorPage(404, "Job not found", fmt::format("No job {}.", id_text));
    return std::nullopt;
  }
  Result<store::JobSummary> job = store::JobRepository(page.db).Get(std::stoll(id_text));
  if (job.ok()) return std::move(*job);
  if (job.status().code() == StatusCode::kNotFound) {
    page.ErrorPage(404, "Job not found", fmt::format("No job {}.", id_text));
  } else {
    page.Fail(job.status());
  }
  return std::nullopt;
}

// The result of an order in words: its stored status, with "unconfirmed"
// told as what it means for the shop.
std::string ResultWord(const std::string& order_status) {
  if (order_status == "in_process") return "in process";
  if (order_status == "unconfirmed") return "pending (order number not known yet)";
  return order_status;
}

// Why the item stands where it stands: its own reason, else the supplier's
// text of a rejected order.
std::string ItemReason(const store::ItemResult& r) {
  if (!r.item.reason.empty()) return r.item.reason;
  return r.order_status == "rejected" ? r.code : "";
}

TemplateData ItemRows(const std::vector<store::ItemResult>& items) {
  TemplateData rows{TemplateData::type::list};
  for (const store::ItemResult& r : items) {
    TemplateData row;
    row.set("line", std::to_string(r.item.line));
    // An entry that is not an IMEI shows what was typed; the others their IMEI.
    row.set("imei", r.item.state == ItemState::kInvalid ? r.item.input : r.item.imei);
    row.set("state", std::string(ItemStateWord(r.item.state)));
    row.set("state_name", std::string(ItemStateName(r.item.state)));
    row.set("result", ResultWord(r.order_status));
    row.set("carrier", r.carrier);
    row.set("simlock", r.simlock);
    row.set("fmi", r.fmi);
    row.set("reason", ItemReason(r));
    if (r.item.order_id) row.set("order_id", std::to_string(*r.item.order_id));
    rows.push_back(row);
  }
  return rows;
}

TemplateData TileList(const std::vector<JobTile>& tiles) {
  TemplateData list{TemplateData::type::list};
  for (const JobTile& tile : tiles) {
    TemplateData t;
    t.set("key", tile.key);
    t.set("label", tile.label);
    t.set("n", WithThousands(tile.n));
    list.push_back(t);
  }
  return list;
}

// One linked figure of the result summary.
void AddFigure(TemplateData& list, const std::string& label, int64_t n, const std::string& href) {
  TemplateData figure;
  figure.set("label", label);
  figure.set("n", WithThousands(n));
  figure.set("href", href);
  list.push_back(figure);
}

// The result summary of a checker job, each figure a link to those orders.
TemplateData SummaryFigures(const store::JobResultSummary& s, const store::JobResults& results,
                            const std::string& id) {
  const std::string orders = "/orders?job=" + id;
  TemplateData list{TemplateData::type::list};
  AddFigure(list, "completed", results.completed, orders + "&status=completed");
  AddFigure(list, "rejected", results.rejected, orders + "&status=rejected");
  if (s.fmi_on + s.fmi_off > 0) {
    AddFigure(list, "FMI on", s.fmi_on, orders + "&fmi=on");
    AddFigure(list, "FMI off", s.fmi_off, orders + "&fmi=off");
  }
  if (s.locked + s.unlocked > 0) {
    AddFigure(list, "SIM-locked", s.locked, orders + "&simlock=locked");
    AddFigure(list, "unlocked", s.unlocked, orders + "&simlock=unlocked");
  }
  if (s.blacklisted + s.clean > 0) {
    AddFigure(list, "blacklisted", s.blacklisted, orders + "&blacklisted=yes");
    AddFigure(list, "not blacklisted", s.clean, orders + "&blacklisted=no");
  }
  for (const auto& [carrier, n] : s.top_carriers) {
    AddFigure(list, carrier, n, orders + "&carrier=" + PercentEncode(carrier));
  }
  return list;
}

// The tiles, summary and item table of `job` into `data`.
Status SetFigures(PageRequest& page, const store::JobSummary& job,
                  const store::JobStanding& standing, TemplateData& data) {
  const std::string id = std::to_string(job.id);
  data.set("sending_tiles", TileList(SendingTiles(job)));
  data.set("result_tiles", TileList(ResultTiles(standing.results)));
  Result<store::JobResultSummary> summary = store::ReadJobResultSummary(page.db, job.id);
  if (!summary.ok()) return summary.status();
  data.set("has_summary", summary->Any());
  data.set("summary", SummaryFigures(*summary, standing.results, id));
  const int64_t orders = standing.results.completed + standing.results.rejected +
                         standing.results.pending + standing.results.in_process;
  data.set("orders_text", Counted(orders, "order", "orders"));
  const int64_t review = job.counts.at(ItemState::kUncertain);
  data.set("has_review", review > 0);
  data.set("review_text", Counted(review, "item needs", "items need"));
  const int64_t number = ClampedPage(page.Field("page"), job.total, kItemsPerPage);
  Result<std::vector<store::ItemResult>> items =
      store::ReadItemResults(page.db, job.id, (number - 1) * kItemsPerPage, kItemsPerPage);
  if (!items.ok()) return items.status();
  data.set("items", ItemRows(*items));
  SetPager(data, "/jobs/" + id, number, kItemsPerPage, job.total);
  return Status::Ok();
}

void ShowJob(PageRequest& page) {
  std::optional<store::JobSummary> job = LoadJob(page);
  if (!job) return;
  Result<store::JobStanding> standing = StandingOf(page.db, page.web, *job, page.now_ms());
  if (!standing.ok()) return page.Fail(standing.status());
  const JobProgress progress = ProgressOf(*job, page.now_ms(), standing->paused_reason);
  const std::string id = std::to_string(job->id);
  TemplateData data;
  data.set("csrf_token", page.session().csrf_token);
  data.set("id", id);
  data.set("service", job->spec.service_id);
  data.set("price", job->spec.price.ToDisplay());
  data.set("source", job->spec.source);
  data.set("created_by", job->spec.created_by);
  data.set("created", UtcText(job->created_at));
  data.set("recheck", job->spec.recheck);
  data.set("state", progress.state);
  data.set("state_text", std::string(store::JobStateWord(progress.state)));
  data.set("cancelled", job->cancelled_at.has_value());
  data.set("sentence", ProgressSentence(*job, progress));
  data.set("paused", !progress.paused_reason.empty());
  data.set("paused_reason", progress.paused_reason);
  data.set("estimated", standing->money.estimated.ToDisplay());
  data.set("charged", standing->money.charged.ToDisplay());
  data.set("refunded", standing->money.refunded.ToDisplay());
  data.set("spent", standing->money.spent().ToDisplay());
  data.set("percent", std::to_string(progress.percent));
  data.set("rate", RateText(progress));
  data.set("eta", EtaText(progress));
  data.set("moving", progress.moving);
  const bool operator_role = Allows(page.session().role, Role::kOperator);
  data.set("can_cancel", operator_role && progress.moving);
  data.set("can_retry", operator_role && job->counts.at(ItemState::kFailed) > 0);
  Result<std::optional<InputFormat>> sheet = store::JobSheetFormat(page.db, job->id);
  if (!sheet.ok()) return page.Fail(sheet.status());
  data.set("has_sheet", sheet->has_value());
  if (Status s = SetFigures(page, *job, *standing, data); !s.ok()) return page.Fail(s);
  page.Render("job", fmt::format("Job {}", id), data);
}

void CancelJob(PageRequest& page) {
  std::optional<store::JobSummary> job = LoadJob(page);
  if (!job) return;
  Result<store::CancelResult> cancelled =
      store::JobRepository(page.db).Cancel(job->id, page.session().user_name, page.now_ms());
  if (!cancelled.ok()) return page.Fail(cancelled.status());
  std::string text = fmt::format("Job {}: {}", job->id, cancelled->Text());
  page.RedirectWithFlash(fmt::format("/jobs/{}", job->id), FlashKind::kOk, text + ".");
}

void RetryJob(PageRequest& page) {
  std::optional<store::JobSummary> job = LoadJob(page);
  if (!job) return;
  Result<int64_t> queued =
      store::JobRepository(page.db).RetryFailed(job->id, page.session().user_name, page.now_ms());
  if (!queued.ok()) return page.Fail(queued.status());
  std::string text =
      fmt::format("Job {}: {} failed IMEIs queued again", job->id, WithThousands(*queued));
  page.RedirectWithFlash(fmt::format("/jobs/{}", job->id), FlashKind::kOk, text);
}

// One `data:` event for job `id`; sets `final` when the stream should end.
Result<std::string> NextEvent(WebContext& web, int64_t id, bool& final) {
  Result<ConnectionPool::Lease> db = web.connections.Acquire();
  if (!db.ok()) return db.status();
  Result<store::JobSummary> job = store::JobRepository(**db).Get(id);
  if (!job.ok()) return job.status();
  Result<store::JobStanding> standing = StandingOf(**db, web, *job, web.NowMs());
  if (!standing.ok()) return standing.status();
  JobProgress progress = ProgressOf(*job, web.NowMs(), standing->paused_reason);
  final = !progress.moving;
  return fmt::format("data: {}\n\n", ProgressJson(*job, progress, standing->results).dump());
}

// The stream's state between two events (the server holds no thread meanwhile).
struct EventState {
  bool sent_any = false;
  bool final = false;
};

void StreamEvents(PageRequest& page) {
  std::optional<store::JobSummary> job = LoadJob(page);
  if (!job) return;
  WebContext& web = page.web;
  const int64_t id = job->id;
  auto state = std::make_shared<EventState>();
  auto stream = std::make_shared<EventStream>();
  stream->interval = kEventInterval;
  stream->max_duration = std::chrono::seconds(kMaxStreamSeconds);
  stream->next = [&web, id, state]() -> std::optional<std::string> {
    if (state->final || web.stopping.load()) return std::nullopt;
    Result<std::string> event = NextEvent(web, id, state->final);
    if (!event.ok()) {
      spdlog::warn("GET /jobs/{}/events: {}", id, event.status().message());
      return std::nullopt;
    }
    // The first event tells the browser how soon to reconnect after the stream ends.
    std::string text = state->sent_any ? *event : "retry: 1000\n" + *event;
    state->sent_any = true;
    return text;
  };
  page.response.SetHeader("Content-Type", "text/event-stream");
  page.response.SetHeader("Cache-Control", "no-store");
  page.response.SetHeader("X-Accel-Buffering", "no");
  page.response.stream = std::move(stream);
}

}  // namespace

void RegisterJobsRoutes(Router& server, WebContext& web) {
  RouteGet(server, web, "/jobs", Role::kViewer, ListJobs);
  RouteGet(server, web, R"(/jobs/(\d+))", Role::kViewer, ShowJob);
  RouteGet(server, web, R"(/jobs/(\d+)/events)", Role::kViewer, StreamEvents);
  RoutePost(server, web, R"(/jobs/(\d+)/cancel)", Role::kOperator, CancelJob);
  RoutePost(server, web, R"(/jobs/(\d+)/retry)", Role::kOperator, RetryJob);
}

}  // namespace imeiflow::web
