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

TemplateData ItemRow(const store::ReviewItem& item, bool can_decide, const std::string& csrf,
                     int64_t now_ms) {
  TemplateData row;
  row.set("item_id", std::to_string(item.item_id));
  row.set("job_id", std::to_string(item.job_id));
  row.set("imei", item.imei);
  row.set("service_id", item.service_id);
  row.set("reason", item.reason);
  row.set("since", UtcText(item.since));
  row.set("since_ago", AgoText(item.since, now_ms));
  row.set("attempts", std::to_string(item.attempts));
  row.set("has_order", item.order.has_value());
  if (item.order) {
    row.set("order_id", std::to_string(item.order->id));
    row.set("order_status", std::string(store::SupplierStatusWord(item.order->status)));
  }
  row.set("can_decide", can_decide);
  row.set("csrf_token", csrf);
  return row;
}

void ShowReview(PageRequest& page) {
  store::ReviewRepository review(page.db);
  Result<int64_t> count = review.Count();
  if (!count.ok()) return page.Fail(count.status());
  Result<std::vector<store::ReviewItem>> items = review.List(kReviewItemsShown);
  if (!items.ok()) return page.Fail(items.status());
  const bool can_decide = Allows(page.session().role, Role::kOperator);
  TemplateData rows{TemplateData::type::list};
  for (const store::ReviewItem& item : *items) {
    rows.push_back(ItemRow(item, can_decide, page.session().csrf_token, page.now_ms()));
  }
  TemplateData data;
  data.set("items", rows);
  data.set("count", WithThousands(*count));
  data.set("has_items", !items->empty());
  data.set("cut", *count > static_cast<int64_t>(items->size()));
  data.set("shown", WithThousands(static_cast<int64_t>(items->size())));
  data.set("can_decide", can_decide);
  page.Render("review", "Review", data);
}

void Decide(PageRequest& page) {
  std::optional<store::ReviewDecision> decision =
      store::ParseReviewDecision(page.Field("decision"));
  std::string item_text = page.Field("item_id");
  int64_t item = 0;
  auto [end, error] = std::from_chars(item_text.data(), item_text.data() + item_text.size(), item);
  if (!decision || error != std::errc() || end != item_text.data() + item_text.size() ||
      item <= 0) {
    return page.RedirectWithFlash("/review", FlashKind::kError,
                                  "Nothing changed: the form named no item or no decision.");
  }
  Result<int64_t> changed = store::ReviewRepository(page.db).Decide(
      item, std::nullopt, *decision, page.session().user_name, page.now_ms());
  if (!changed.ok()) {
    if (changed.status().code() == StatusCode::kInvalidArgument) {
      return page.RedirectWithFlash(
          "/review", FlashKind::kError,
          fmt::format("Nothing changed: {}.", changed.status().message()));
    }
    if (changed.status().code() == StatusCode::kNotFound) {
      return page.RedirectWithFlash(
          "/review", FlashKind::kWarning,
          fmt::format("Nothing changed: {}.", changed.status().message()));
    }
    return page.Fail(changed.status());
  }
  page.RedirectWithFlash("/review", FlashKind::kOk,
                         fmt::format("Item {}: {} ({} item changed).", item, Outcome(*decision),
                                     WithThousands(*changed)));
}

}  // namespace

void RegisterReviewPage(Router& server, WebContext& web) {
  RouteGet(server, web, "/review", Role::kViewer, ShowReview);
  RoutePost(server, web, "/review/decide", Role::kOperator, Decide);
}

}  // namespace imeiflow::web
