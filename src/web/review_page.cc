#include "web/review_page.h"

#include <fmt/format.h>

#include <charconv>

#include "store/review_repository.h"
#include "store/supplier_export.h"
#include "web/format.h"
#include "web/page.h"

namespace imeiflow::web {
namespace {

// What each decision does, in the words of the flash message.
std::string_view Outcome(store::ReviewDecision decision) {
  switch (decision) {
    case store::ReviewDecision::kSubmitted:
      return "recorded as ordered (linked to the order already here, else a new unconfirmed one; "
             "charged once)";
    case store::ReviewDecision::kResend:
      return "queued to be sent again";
    case store::ReviewDecision::kCancel:
      return "cancelled";
  }
  return "";
}

// A positive whole number, or none.
std::optional<int64_t> PositiveId(const std::string& text) {
  int64_t n = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (error != std::errc() || end != text.data() + text.size() || n <= 0) return std::nullopt;
  return n;
}

// Where the page stands: its job filter and page number (from the query, or
// the back_* fields of a decision's form).
struct ReviewView {
  std::optional<int64_t> job_id;
  int64_t page = 1;
  // "/review?page=2&job=7" (only what is not the default).
  std::string Href(int64_t number) const {
    if (number > 1 && job_id) return fmt::format("/review?page={}&job={}", number, *job_id);
    if (number > 1) return fmt::format("/review?page={}", number);
    if (job_id) return fmt::format("/review?job={}", *job_id);
    return "/review";
  }
};

ReviewView ViewOf(const PageRequest& page, const std::string& job_field,
                  const std::string& page_field) {
  ReviewView view;
  view.job_id = PositiveId(page.Field(job_field));
  view.page = PositiveId(page.Field(page_field)).value_or(1);
  return view;
}

TemplateData ItemRow(const store::ReviewItem& item, int timeout_s) {
  TemplateData row;
  row.set("item_id", std::to_string(item.item_id));
  row.set("imei", item.imei);
  row.set("service_id", item.service_id);
  row.set("reason", store::ReviewReasonText(item.reason, timeout_s));
  row.set("raw_reason", item.reason);
  row.set("since", UtcText(item.since));
  row.set("attempts", std::to_string(item.attempts));
  row.set("has_order", item.order.has_value());
  if (item.order) {
    row.set("order_id", std::to_string(item.order->id));
    row.set("order_status", std::string(store::SupplierStatusWord(item.order->status)));
  }
  return row;
}

// The page's items, a group per job (the store lists them by job).
TemplateData JobGroups(const std::vector<store::ReviewItem>& items, int timeout_s,
                       int64_t now_ms) {
  TemplateData groups{TemplateData::type::list};
  size_t at = 0;
  while (at < items.size()) {
    const int64_t job_id = items[at].job_id;
    TemplateData rows{TemplateData::type::list};
    std::string imeis;
    for (; at < items.size() && items[at].job_id == job_id; ++at) {
      TemplateData row = ItemRow(items[at], timeout_s);
      row.set("since_ago", AgoText(items[at].since, now_ms));
      rows.push_back(row);
      imeis.append(items[at].imei).append("\n");
    }
    TemplateData group;
    group.set("job_id", std::to_string(job_id));
    group.set("items", rows);
    group.set("imeis", imeis);
    groups.push_back(group);
  }
  return groups;
}

void ShowReview(PageRequest& page) {
  const ReviewView view = ViewOf(page, "job", "page");
  store::ReviewRepository review(page.db);
  Result<int64_t> count = review.Count(view.job_id);
  if (!count.ok()) return page.Fail(count.status());
  const int64_t pages = std::max<int64_t>(1, (*count + kReviewPageSize - 1) / kReviewPageSize);
  const int64_t number = std::min(view.page, pages);
  store::ReviewFilter filter;
  filter.job_id = view.job_id;
  filter.offset = (number - 1) * kReviewPageSize;
  filter.limit = kReviewPageSize;
  Result<std::vector<store::ReviewItem>> items = review.ListByJob(filter);
  if (!items.ok()) return page.Fail(items.status());
  std::string imeis;
  for (const store::ReviewItem& item : *items) imeis.append(item.imei).append("\n");
  TemplateData data;
  data.set("groups", JobGroups(*items, page.web.config.upstream.timeout_s, page.now_ms()));
  data.set("count", WithThousands(*count));
  data.set("count_is_one", *count == 1);
  data.set("has_items", !items->empty());
  data.set("imeis", imeis);
  data.set("can_decide", Allows(page.session().role, Role::kOperator));
  data.set("csrf_token", page.session().csrf_token);
  data.set("page", std::to_string(number));
  data.set("pages", std::to_string(pages));
  data.set("back_page", std::to_string(number));
  if (view.job_id) {
    data.set("filter_job", std::to_string(*view.job_id));
    data.set("imeis_href", fmt::format("/review/imeis.txt?job={}", *view.job_id));
  } else {
    data.set("imeis_href", "/review/imeis.txt");
  }
  if (number > 1) data.set("prev_href", ReviewView{view.job_id, number - 1}.Href(number - 1));
  if (number < pages) data.set("next_href", ReviewView{view.job_id, number + 1}.Href(number + 1));
  page.Render("review", "Review", data);
}

// GET /review/imeis.txt[?job=ID]: every listed IMEI, one a line, to look
// them up on the supplier's panel.
void DownloadImeis(PageRequest& page) {
  store::ReviewFilter filter;
  filter.job_id = PositiveId(page.Field("job"));
  Result<std::vector<store::ReviewItem>> items =
      store::ReviewRepository(page.db).ListByJob(filter);
  if (!items.ok()) return page.Fail(items.status());
  std::string text;
  for (const store::ReviewItem& item : *items) text.append(item.imei).append("\n");
  const std::string name =
      filter.job_id ? fmt::format("review-job-{}-imeis.txt", *filter.job_id) : "review-imeis.txt";
  page.response.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
  page.response.SetHeader("Cache-Control", "no-store");
  page.response.SetContent(std::move(text), "text/plain; charset=utf-8");
}

// What a bulk or single decision did, for the flash.
struct DecisionTally {
  int64_t changed = 0;
  int64_t kept = 0;          // left awaiting review: they have an order here
  int64_t not_waiting = 0;   // no longer awaiting review (decided meanwhile)
  std::string first_refusal;
};

// Applies `decision` to every item of `ids`, each through the store's one
// place for review decisions (audited per item).
Result<DecisionTally> DecideItems(PageRequest& page, const std::vector<int64_t>& ids,
                                  store::ReviewDecision decision) {
  DecisionTally tally;
  store::ReviewRepository review(page.db);
  for (int64_t id : ids) {
    Result<int64_t> changed =
        review.Decide(id, std::nullopt, decision, page.session().user_name, page.now_ms());
    if (changed.ok()) {
      tally.changed += *changed;
    } else if (changed.status().code() == StatusCode::kInvalidArgument) {
      ++tally.kept;
      if (tally.first_refusal.empty()) tally.first_refusal = changed.status().message();
    } else if (changed.status().code() == StatusCode::kNotFound) {
      ++tally.not_waiting;
    } else {
      return changed.status();
    }
  }
  return tally;
}

// Applies `decision` to every item of job `job_id` awaiting review.
Result<DecisionTally> DecideJob(PageRequest& page, int64_t job_id,
                                store::ReviewDecision decision) {
  DecisionTally tally;
  Result<int64_t> changed = store::ReviewRepository(page.db).Decide(
      std::nullopt, job_id, decision, page.session().user_name, page.now_ms(), &tally.kept);
  if (changed.ok()) {
    tally.changed = *changed;
  } else if (changed.status().code() == StatusCode::kNotFound) {
    tally.not_waiting = 1;
  } else {
    return changed.status();
  }
  return tally;
}

std::string TallyText(const DecisionTally& tally, store::ReviewDecision decision) {
  std::string text = fmt::format("{} {} {}", WithThousands(tally.changed),
                                 tally.changed == 1 ? "item" : "items", Outcome(decision));
  if (tally.kept > 0) {
    text += fmt::format("; {} left to review: {} an order here, so only submitted is offered",
                        WithThousands(tally.kept), tally.kept == 1 ? "it has" : "they have");
  }
  if (tally.not_waiting > 0) text += "; some were no longer awaiting review";
  return text + ".";
}

void Decide(PageRequest& page) {
  const ReviewView back_view = ViewOf(page, "back_job", "back_page");
  const std::string back = back_view.Href(back_view.page);
  std::optional<store::ReviewDecision> decision =
      store::ParseReviewDecision(page.Field("decision"));
  std::vector<int64_t> ids;
  auto [first, last] = page.request.form.equal_range("item_id");
  for (auto it = first; it != last; ++it) {
    if (std::optional<int64_t> id = PositiveId(it->second)) ids.push_back(*id);
  }
  std::optional<int64_t> job = PositiveId(page.Field("job_id"));
  if (!decision || (ids.empty() && !job)) {
    return page.RedirectWithFlash(
        back, FlashKind::kError,
        "Nothing changed: choose items (or a job) and a decision.");
  }
  Result<DecisionTally> tally =
      ids.empty() ? DecideJob(page, *job, *decision) : DecideItems(page, ids, *decision);
  if (!tally.ok()) return page.Fail(tally.status());
  if (tally->changed == 0 && ids.size() == 1 && !tally->first_refusal.empty()) {
    return page.RedirectWithFlash(back, FlashKind::kError,
                                  fmt::format("Nothing changed: {}.", tally->first_refusal));
  }
  const FlashKind kind = tally->changed > 0 ? FlashKind::kOk : FlashKind::kWarning;
  page.RedirectWithFlash(back, kind, TallyText(*tally, *decision));
}

}  // namespace

void RegisterReviewPage(Router& server, WebContext& web) {
  RouteGet(server, web, "/review", Role::kViewer, ShowReview);
  RouteGet(server, web, "/review/imeis.txt", Role::kViewer, DownloadImeis);
  RoutePost(server, web, "/review/decide", Role::kOperator, Decide);
}

}  // namespace imeiflow::web
