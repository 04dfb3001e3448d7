#include "web/submit_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "core/input.h"
#include "core/money.h"
#include "store/dispatch_repository.h"
#include "store/job_submission.h"
#include "store/service_repository.h"
#include "web/format.h"
#include "web/page.h"
#include "web/pending_submissions.h"
#include "web/settings_page.h"

namespace imeiflow::web {
namespace {

// Rows of invalid entries and of already ordered IMEIs a preview lists.
constexpr size_t kListedRows = 200;

// An IMEI of the input that the duplicate guard would skip.
struct AlreadyOrdered {
  int line = 0;
  std::string imei;
  std::string reason;  // "order 12" or "queued in job 3"
};

// The uploaded file of the form, if one was chosen (a multipart form sends
// an empty part when none was).
const httplib::MultipartFormData* UploadedFile(const httplib::Request& request) {
  auto it = request.files.find("file");
  return it != request.files.end() && !it->second.content.empty() ? &it->second : nullptr;
}

TemplateData ServiceOptions(const std::vector<store::CachedService>& services,
                            const std::string& selected) {
  TemplateData list{TemplateData::type::list};
  for (const store::CachedService& s : services) {
    TemplateData option;
    option.set("id", s.id);
    option.set("text", fmt::format("{} — {} ({}, {})", s.id, s.title, s.price.ToDisplay(),
                                   s.delivery.empty() ? "delivery unknown" : s.delivery));
    option.set("category", s.category);
    option.set("selected", s.id == selected);
    list.push_back(option);
  }
  return list;
}

// The submit form, with `error` above it when a preview could not be made.
void ShowForm(PageRequest& page, const std::string& error = "", int status = 200) {
  Result<std::vector<store::CachedService>> services = store::ServiceRepository(page.db).List();
  if (!services.ok()) return page.Fail(services.status());
  TemplateData data;
  data.set("csrf_token", page.session().csrf_token);
  data.set("services", ServiceOptions(*services, page.Field("service_id")));
  data.set("has_services", !services->empty());
  // An upload is not shown again; a paste is, so it can be corrected.
  data.set("imeis", UploadedFile(page.request) != nullptr ? "" : page.Field("imeis"));
  data.set("recheck", !page.Field("recheck").empty());
  if (!error.empty()) data.set("error", error);
  page.Render("submit", "Submit IMEIs", data, status);
}

// The IMEIs of `report` that already have an order for `service_id` (not
// rejected) or are open in another job: what the duplicate guard will skip.
Result<std::vector<AlreadyOrdered>> FindAlreadyOrdered(store::Database& db,
                                                       const CheckReport& report,
                                                       const std::string& service_id) {
  Result<store::Statement> find_order = db.Prepare(
      "SELECT id FROM orders WHERE imei = ?1 AND service_id = ?2 AND status != 'rejected'"
      " ORDER BY id LIMIT 1");
  if (!find_order.ok()) return find_order.status();
  Result<store::Statement> find_open = db.Prepare(
      "SELECT items.job_id FROM items JOIN jobs ON jobs.id = items.job_id"
      " WHERE items.imei = ?1 AND jobs.service_id = ?2"
      " AND items.state IN ('queued', 'in_flight', 'uncertain') LIMIT 1");
  if (!find_open.ok()) return find_open.status();
  // The first id `stmt` finds for the IMEI, if any.
  auto first_id = [&](store::Statement& stmt,
                      const std::string& imei) -> Result<std::optional<int64_t>> {
    stmt.Reset();
    stmt.Bind(1, imei).Bind(2, service_id);
    Result<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<int64_t>();
    return std::optional<int64_t>(stmt.ColumnInt(0));
  };
  std::vector<AlreadyOrdered> found;
  for (size_t i = 0; i < report.imeis.size(); ++i) {
    const std::string& imei = report.imeis[i];
    Result<std::optional<int64_t>> order = first_id(*find_order, imei);
    if (!order.ok()) return order.status();
    if (*order) {
      found.push_back({report.imei_lines[i], imei, fmt::format("order {}", **order)});
      continue;
    }
    Result<std::optional<int64_t>> job = first_id(*find_open, imei);
    if (!job.ok()) return job.status();
    if (*job) found.push_back({report.imei_lines[i], imei, fmt::format("queued in job {}", **job)});
  }
  return found;
}

TemplateData InvalidRows(const CheckReport& report) {
  TemplateData rows{TemplateData::type::list};
  for (size_t i = 0; i < std::min(kListedRows, report.invalid.size()); ++i) {
    TemplateData row;
    row.set("line", std::to_string(report.invalid[i].line));
    row.set("input", report.invalid[i].input);
    row.set("reason", report.invalid[i].reason);
    rows.push_back(row);
  }
  return rows;
}

TemplateData DuplicateRows(const std::vector<AlreadyOrdered>& found) {
  TemplateData rows{TemplateData::type::list};
  for (size_t i = 0; i < std::min(kListedRows, found.size()); ++i) {
    TemplateData row;
    row.set("line", std::to_string(found[i].line));
    row.set("imei", found[i].imei);
    row.set("reason", found[i].reason);
    rows.push_back(row);
  }
  return rows;
}

std::string MoreText(size_t shown_cap, size_t total) {
  return total > shown_cap ? fmt::format("and {} more", WithThousands(total - shown_cap)) : "";
}

// Today's spend and the cap, for the preview.
Status SetSpending(PageRequest& page, Money estimated, TemplateData& data) {
  Result<Money> spent = store::DispatchRepository(page.db).SpentToday(page.now_ms());
  if (!spent.ok()) return spent.status();
  data.set("spent", spent->ToDisplay());
  Result<store::DailyCap> in_force = DailyCapInForce(page.db, page.web.config);
  if (!in_force.ok()) return in_force.status();
  if (!in_force->cap) return Status::Ok();
  const std::optional<Money>& cap = in_force->cap;
  data.set("cap", cap->ToDisplay());
  data.set("cap_percent",
           std::to_string(PercentOf(spent->cents(), std::max<int64_t>(1, cap->cents()))));
  if ((*spent + estimated).cents() > cap->cents()) {
    data.set("over_cap", fmt::format("Today's spend plus this job ({}) is over the daily cap: "
                                     "dispatch pauses at the cap and goes on tomorrow (UTC).",
                                     (*spent + estimated).ToDisplay()));
  }
  return Status::Ok();
}

void Preview(PageRequest& page, PendingSubmissions& pending) {
  const std::string service_id = page.Field("service_id");
  const bool recheck = !page.Field("recheck").empty();
  const std::string pasted = UploadedFile(page.request) == nullptr ? page.Field("imeis") : "";
  std::string_view bytes = pasted;
  std::string source = "paste";
  if (const httplib::MultipartFormData* file = UploadedFile(page.request)) {
    bytes = file->content;
    source = file->filename.empty() ? "upload" : file->filename;
  }
  if (service_id.empty()) return ShowForm(page, "Pick a service.", 400);
  Result<store::CachedService> service = store::ServiceRepository(page.db).Find(service_id);
  if (!service.ok()) return ShowForm(page, service.status().message(), 400);
  Result<CheckReport> report = ParseImeiInput(bytes, source == "paste" ? "" : source);
  if (!report.ok()) return ShowForm(page, report.status().message(), 400);
  if (report->imeis.empty() && report->invalid.empty()) {
    return ShowForm(page, "Paste IMEIs or choose a file: the input holds none.", 400);
  }
  Result<std::vector<AlreadyOrdered>> ordered = FindAlreadyOrdered(page.db, *report, service->id);
  if (!ordered.ok()) return page.Fail(ordered.status());

  const int64_t valid = static_cast<int64_t>(report->imeis.size());
  const int64_t to_order = recheck ? valid : valid - static_cast<int64_t>(ordered->size());
  const Money estimated = service->price * to_order;
  TemplateData data;
  data.set("csrf_token", page.session().csrf_token);
  data.set("service_id", service->id);
  data.set("service_title", service->title);
  data.set("price", service->price.ToDisplay());
  data.set("delivery", service->delivery);
  data.set("source", source);
  data.set("format", std::string(InputFormatName(report->format)));
  data.set("valid_count", WithThousands(valid));
  data.set("to_order", WithThousands(to_order));
  data.set("can_confirm", to_order > 0);
  data.set("recheck", recheck);
  data.set("invalid_count", WithThousands(static_cast<int64_t>(report->invalid.size())));
  data.set("has_invalid", !report->invalid.empty());
  data.set("invalid", InvalidRows(*report));
  data.set("invalid_more", MoreText(kListedRows, report->invalid.size()));
  data.set("repeats", WithThousands(static_cast<int64_t>(report->duplicates.size())));
  data.set("has_repeats", !report->duplicates.empty());
  data.set("completed", WithThousands(static_cast<int64_t>(report->completed.size())));
  data.set("has_completed", !report->completed.empty());
  data.set("duplicate_count", WithThousands(static_cast<int64_t>(ordered->size())));
  data.set("has_duplicates", !ordered->empty());
  data.set("duplicates", DuplicateRows(*ordered));
  data.set("duplicates_more", MoreText(kListedRows, ordered->size()));
  data.set("estimated_cost", estimated.ToDisplay());
  if (Status s = SetSpending(page, estimated, data); !s.ok()) return page.Fail(s);

  PendingSubmission submission;
  submission.user_name = page.session().user_name;
  submission.service_id = service->id;
  submission.recheck = recheck;
  submission.source = source;
  submission.report = std::move(*report);
  data.set("pending", pending.Put(std::move(submission), page.now_ms()));
  page.Render("submit_preview", "Preview", data);
}

void Confirm(PageRequest& page, PendingSubmissions& pending) {
  std::optional<PendingSubmission> submission =
      pending.Take(page.Field("pending"), page.session().user_name, page.now_ms());
  if (!submission) {
    return page.RedirectWithFlash("/submit", FlashKind::kError,
                                  "That preview has expired or was already confirmed: no job "
                                  "was created. Submit the IMEIs again.");
  }
  Result<store::CachedService> service =
      store::ServiceRepository(page.db).Find(submission->service_id);
  if (!service.ok()) {
    return page.RedirectWithFlash("/submit", FlashKind::kError, service.status().message());
  }
  store::SubmissionOptions how;
  how.recheck = submission->recheck;
  how.source = submission->source;
  how.created_by = page.session().user_name;
  // SubmitJob writes the audit row ("job.submit", actor: this user).
  Result<store::Submission> done =
      store::SubmitJob(page.db, *service, submission->report, how, page.now_ms());
  if (!done.ok()) return page.Fail(done.status());
  const store::JobSummary& job = done->job;
  std::string text = fmt::format(
      "Job {}: {} IMEIs queued, {} invalid, {} already ordered (est. {})", job.id,
      WithThousands(job.counts.at(ItemState::kQueued)),
      WithThousands(job.counts.at(ItemState::kInvalid)),
      WithThousands(job.counts.at(ItemState::kSkippedDuplicate)), done->estimated_cost.ToDisplay());
  page.RedirectWithFlash(fmt::format("/jobs/{}", job.id), FlashKind::kOk, text);
}

}  // namespace

void RegisterSubmitRoutes(httplib::Server& server, WebContext& web) {
  auto pending = std::make_shared<PendingSubmissions>();
  RouteGet(server, web, "/submit", Role::kOperator, [](PageRequest& page) { ShowForm(page); });
  RoutePost(server, web, "/submit/preview", Role::kOperator,
            [pending](PageRequest& page) { Preview(page, *pending); });
  RoutePost(server, web, "/jobs", Role::kOperator,
            [pending](PageRequest& page) { Confirm(page, *pending); });
}

}  // namespace imeiflow::web
