#include "web/submit_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "core/input.h"
#include "core/money.h"
#include "store/job_submission.h"
#include "store/service_repository.h"
#include "web/format.h"
#include "web/job_progress.h"
#include "web/page.h"
#include "web/pending_submissions.h"
#include "web/settings_page.h"

namespace imeiflow::web {
namespace {

// Rows of invalid entries and of already ordered IMEIs a preview lists.
constexpr size_t kListedRows = 200;

// The uploaded file of the form, if one was chosen (a multipart form sends
// an empty part when none was).
const FormFile* UploadedFile(const HttpRequest& request) {
  auto it = request.files.find("file");
  return it != request.files.end() && !it->second.content.empty() ? &it->second : nullptr;
}

// The picker's options grouped by category (the store lists them sorted by
// category), each with its price and delivery time.
TemplateData ServiceGroups(const std::vector<store::CachedService>& services,
                           const std::string& selected) {
  TemplateData groups{TemplateData::type::list};
  TemplateData options{TemplateData::type::list};
  auto close_group = [&](const std::string& category) {
    TemplateData group;
    group.set("category", category.empty() ? "Other" : category);
    group.set("options", options);
    groups.push_back(group);
    options = TemplateData{TemplateData::type::list};
  };
  for (size_t i = 0; i < services.size(); ++i) {
    const store::CachedService& s = services[i];
    TemplateData option;
    option.set("id", s.id);
    option.set("text", fmt::format("{} — {} · {} · {}", s.id, s.title, s.price.ToDisplay(),
                                   s.delivery.empty() ? "delivery unknown" : s.delivery));
    option.set("category", s.category);
    option.set("selected", s.id == selected);
    options.push_back(option);
    if (i + 1 == services.size() || services[i + 1].category != s.category) close_group(s.category);
  }
  return groups;
}

// A file kept on the server for the form (a browser cannot fill a file
// input in again): the preview it belongs to holds its IMEIs.
struct KeptFile {
  std::string id;    // the pending preview holding it
  std::string name;  // the file's name
  int64_t imeis = 0;
};

// What the submit form shows filled in.
struct FormValues {
  std::string service_id;
  std::string imeis;
  bool recheck = false;
  std::optional<KeptFile> file;
};

// The form's values as the request sent them: a paste is shown again, so
// it can be corrected.
FormValues TypedValues(PageRequest& page) {
  return {page.Field("service_id"), page.Field("imeis"), !page.Field("recheck").empty(), {}};
}

// Whether `text` holds anything but white space.
bool HasText(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") != std::string_view::npos;
}

// Keeps `file` (a checked upload) for the form and says where it is.
KeptFile Keep(PendingSubmission file, PendingSubmissions& pending, int64_t now_ms) {
  KeptFile kept{"", file.source, static_cast<int64_t>(file.report.imeis.size())};
  kept.id = pending.Put(std::move(file), now_ms);
  return kept;
}

// The submit form filled with `values`, with `error` above it when a preview
// could not be made.
void ShowForm(PageRequest& page, const FormValues& values, const std::string& error = "",
              int status = 200) {
  Result<std::vector<store::CachedService>> services = store::ServiceRepository(page.db).List();
  if (!services.ok()) return page.Fail(services.status());
  TemplateData data;
  data.set("csrf_token", page.session().csrf_token);
  data.set("service_groups", ServiceGroups(*services, values.service_id));
  data.set("has_services", !services->empty());
  data.set("imeis", values.imeis);
  data.set("recheck", values.recheck);
  if (values.file) {
    data.set("kept_file", values.file->id);
    data.set("kept_name", values.file->name);
    data.set("kept_imeis", WithThousands(values.file->imeis));
  }
  if (!error.empty()) data.set("error", error);
  page.Render("submit", "Submit IMEIs", data, status);
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

// Rows of `found` (already ordered, or rejected before), at most kListedRows.
TemplateData ImeiRows(const std::vector<store::PreviewImei>& found) {
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
void SetSpending(const store::SubmissionPreview& preview, TemplateData& data) {
  const store::DailySpending& spending = preview.spending;
  data.set("spent", spending.spent.ToDisplay());
  if (!spending.cap) return;
  data.set("cap", spending.cap->ToDisplay());
  data.set("cap_percent", std::to_string(PercentOf(spending.spent.cents(),
                                                   std::max<int64_t>(1, spending.cap->cents()))));
  if (spending.Exceeds(preview.estimated_cost)) {
    data.set("over_cap", fmt::format("Today's spend plus this job ({}) is over the daily cap: "
                                     "dispatch pauses at the cap and goes on tomorrow (UTC).",
                                     (spending.spent + preview.estimated_cost).ToDisplay()));
  }
}

// The rejected-before part of the preview: count, top reasons, the list, and
// what leaving them out saves.
void SetRejectedBefore(const store::SubmissionPreview& preview, TemplateData& data) {
  const int64_t n = static_cast<int64_t>(preview.rejected_before.size());
  data.set("rejected_count", WithThousands(n));
  data.set("has_rejected", n > 0);
  data.set("skip_rejected", preview.skip_rejected);
  data.set("rejected", ImeiRows(preview.rejected_before));
  data.set("rejected_more", MoreText(kListedRows, preview.rejected_before.size()));
  data.set("rejected_cost", (preview.price * n).ToDisplay());
  TemplateData reasons{TemplateData::type::list};
  for (const store::ReasonCount& r : preview.top_reasons) {
    TemplateData row;
    row.set("reason", r.reason);
    row.set("count", WithThousands(r.count));
    reasons.push_back(row);
  }
  data.set("top_reasons", reasons);
  // What the job costs with them in: the page shows both, the checkbox picks.
  const int64_t with_them = preview.to_order + (preview.skip_rejected ? n : 0);
  data.set("to_order_with_rejected", WithThousands(with_them));
  data.set("cost_with_rejected", (preview.price * with_them).ToDisplay());
}

// The file a preview reads, checked: one chosen now (it replaces a kept
// one), else the one kept from an earlier preview unless the form drops
// it; nothing when neither.
Result<std::optional<PendingSubmission>> ChosenFile(PageRequest& page,
                                                    PendingSubmissions& pending) {
  std::optional<PendingSubmission> kept;
  if (std::string id = page.Field("kept_file"); !id.empty()) {
    kept = pending.Take(id, page.session().user_name, page.now_ms(), PendingUse::kEdit);
  }
  const FormFile* upload = UploadedFile(page.request);
  if (upload == nullptr) {
    if (!page.Field("drop_kept_file").empty()) return std::optional<PendingSubmission>();
    return kept;
  }
  PendingSubmission file;
  file.user_name = page.session().user_name;
  file.source = upload->filename.empty() ? "upload" : upload->filename;
  Result<CheckReport> report = ParseImeiInput(upload->content, file.source);
  if (!report.ok()) {
    return Status(report.status().code(), file.source + ": " + report.status().message());
  }
  file.report = std::move(*report);
  // The sheet's own rows, kept with the job to be given back with results.
  Result<std::optional<store::UploadedSheet>> sheet = store::ReadUploadedSheet(upload->content);
  if (!sheet.ok()) {
    return Status(sheet.status().code(), file.source + ": " + sheet.status().message());
  }
  file.sheet = std::move(*sheet);
  return std::optional<PendingSubmission>(std::move(file));
}

void Preview(PageRequest& page, PendingSubmissions& pending) {
  const std::string service_id = page.Field("service_id");
  const bool recheck = !page.Field("recheck").empty();
  const std::string pasted = page.Field("imeis");
  FormValues typed = TypedValues(page);
  Result<std::optional<PendingSubmission>> file = ChosenFile(page, pending);
  if (!file.ok()) return ShowForm(page, typed, file.status().message(), 400);
  // Every answer that shows the form again keeps the file for it.
  auto refuse = [&](const std::string& error) {
    if (file->has_value()) typed.file = Keep(std::move(**file), pending, page.now_ms());
    ShowForm(page, typed, error, 400);
  };
  if (file->has_value() && HasText(pasted)) {
    return refuse(
        "You pasted IMEIs and chose a file: a preview reads one of them. Empty the box to order "
        "the file's IMEIs, or drop the file to order the pasted ones.");
  }
  if (service_id.empty()) return refuse("Pick a service.");
  Result<store::CachedService> service = store::ServiceRepository(page.db).Find(service_id);
  if (!service.ok()) return refuse(service.status().message());
  const std::string source = file->has_value() ? (*file)->source : "paste";
  Result<CheckReport> report =
      file->has_value() ? Result<CheckReport>((*file)->report) : ParseImeiInput(pasted, "");
  if (!report.ok()) return refuse(report.status().message());
  if (report->imeis.empty() && report->invalid.empty()) {
    return refuse("Paste IMEIs or choose a file: the input holds none.");
  }
  store::SubmissionOptions how;
  how.recheck = recheck;
  // A shop rarely wants to pay again for a known rejection: leaving them out
  // is the default, and the checkbox on the preview puts them back in.
  how.skip_rejected = true;
  Result<std::optional<Money>> configured_cap = page.web.config.spending.DailyCap();
  if (!configured_cap.ok()) return page.Fail(configured_cap.status());
  Result<store::SubmissionPreview> preview =
      store::PreviewSubmission(page.db, *service, *report, how, *configured_cap, page.now_ms());
  if (!preview.ok()) return page.Fail(preview.status());

  TemplateData data;
  data.set("csrf_token", page.session().csrf_token);
  data.set("service_id", service->id);
  data.set("service_title", service->title);
  data.set("price", service->price.ToDisplay());
  data.set("delivery", service->delivery);
  data.set("source", source);
  data.set("format", std::string(InputFormatName(report->format)));
  data.set("valid_count", WithThousands(preview->valid));
  data.set("to_order", WithThousands(preview->to_order));
  data.set("can_confirm", preview->to_order > 0 || !preview->rejected_before.empty());
  data.set("recheck", recheck);
  data.set("invalid_count", WithThousands(static_cast<int64_t>(report->invalid.size())));
  data.set("has_invalid", !report->invalid.empty());
  data.set("invalid", InvalidRows(*report));
  data.set("invalid_more", MoreText(kListedRows, report->invalid.size()));
  data.set("repeats", Counted(static_cast<int64_t>(report->duplicates.size()),
                              "repeated IMEI in the input is counted once",
                              "repeated IMEIs in the input are counted once"));
  data.set("has_repeats", !report->duplicates.empty());
  data.set("completed", Counted(static_cast<int64_t>(report->completed.size()),
                                "14-digit entry was given its check digit",
                                "14-digit entries were given their check digit"));
  data.set("has_completed", !report->completed.empty());
  const std::vector<store::PreviewImei>& ordered = preview->already_ordered;
  data.set("duplicate_count", WithThousands(static_cast<int64_t>(ordered.size())));
  data.set("has_duplicates", !ordered.empty());
  data.set("duplicates", ImeiRows(ordered));
  data.set("duplicates_more", MoreText(kListedRows, ordered.size()));
  data.set("estimated_cost", preview->estimated_cost.ToDisplay());
  SetRejectedBefore(*preview, data);
  SetSpending(*preview, data);

  PendingSubmission submission;
  submission.user_name = page.session().user_name;
  submission.service_id = service->id;
  submission.recheck = recheck;
  submission.source = source;
  submission.pasted = file->has_value() ? "" : pasted;
  submission.report = std::move(*report);
  if (file->has_value()) submission.sheet = std::move((*file)->sheet);
  data.set("pending", pending.Put(std::move(submission), page.now_ms()));
  page.Render("submit_preview", "Preview", data);
}

void Confirm(PageRequest& page, PendingSubmissions& pending) {
  std::optional<PendingSubmission> submission =
      pending.Take(page.Field("pending"), page.session().user_name, page.now_ms());
  if (!submission) {
    return page.RedirectWithFlash(
        "/submit", FlashKind::kError,
        pending.WhyNotAvailable(page.Field("pending"), page.session().user_name, page.now_ms()));
  }
  Result<store::CachedService> service =
      store::ServiceRepository(page.db).Find(submission->service_id);
  if (!service.ok()) {
    return page.RedirectWithFlash("/submit", FlashKind::kError, service.status().message());
  }
  store::SubmissionOptions how;
  how.recheck = submission->recheck;
  how.skip_rejected = !page.Field("skip_rejected").empty();
  how.source = submission->source;
  how.created_by = page.session().user_name;
  if (submission->sheet) how.sheet = &*submission->sheet;
  // SubmitJob writes the audit row ("job.submit", actor: this user).
  Result<store::Submission> done =
      store::SubmitJob(page.db, *service, submission->report, how, page.now_ms());
  if (!done.ok()) return page.Fail(done.status());
  const store::JobSummary& job = done->job;
  std::string rejected =
      done->rejected_left_out > 0
          ? fmt::format(", {} rejected before left out", WithThousands(done->rejected_left_out))
          : "";
  std::string text = fmt::format(
      "Job {}: {} IMEIs queued, {} invalid, {} already ordered{} (est. {})", job.id,
      WithThousands(job.counts.at(ItemState::kQueued)),
      WithThousands(job.counts.at(ItemState::kInvalid)),
      WithThousands(job.counts.at(ItemState::kSkippedDuplicate) - done->rejected_left_out),
      rejected, done->estimated_cost.ToDisplay());
  page.RedirectWithFlash(fmt::format("/jobs/{}", job.id), FlashKind::kOk, text);
}

// Back from a preview to the form, filled in as it was sent: the paste, the
// service, recheck, and an uploaded file kept on the server (previewing
// again reads it, unless another is chosen). The preview itself is dropped.
void Edit(PageRequest& page, PendingSubmissions& pending) {
  std::optional<PendingSubmission> submission = pending.Take(
      page.Field("pending"), page.session().user_name, page.now_ms(), PendingUse::kEdit);
  if (!submission) return ShowForm(page, FormValues{});
  FormValues values{submission->service_id, submission->pasted, submission->recheck, {}};
  if (submission->source != "paste") {
    values.file = Keep(std::move(*submission), pending, page.now_ms());
  }
  ShowForm(page, values);
}

}  // namespace

void RegisterSubmitRoutes(Router& server, WebContext& web) {
  auto pending = std::make_shared<PendingSubmissions>();
  RouteGet(server, web, "/submit", Role::kOperator,
           [](PageRequest& page) { ShowForm(page, FormValues{}); });
  RoutePost(server, web, "/submit/edit", Role::kOperator,
            [pending](PageRequest& page) { Edit(page, *pending); });
  RoutePost(server, web, "/submit/preview", Role::kOperator,
            [pending](PageRequest& page) { Preview(page, *pending); });
  RoutePost(server, web, "/jobs", Role::kOperator,
            [pending](PageRequest& page) { Confirm(page, *pending); });
}

}  // namespace imeiflow::web
