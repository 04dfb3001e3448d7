#include "store/review_repository.h"

#include <fmt/format.h>

#include "store/dispatch_repository.h"
#include "store/item_transitions.h"
#include "store/order_writer.h"
#include "store/supplier_export.h"

namespace imeiflow::store {
namespace {

std::string_view DecisionName(ReviewDecision d) {
  switch (d) {
    case ReviewDecision::kSubmitted:
      return "submitted";
    case ReviewDecision::kResend:
      return "resend";
    case ReviewDecision::kCancel:
      return "cancel";
  }
  return "";
}

// An uncertain item and what a decision needs to know about it.
struct Uncertain {
  int64_t id = 0;
  int64_t job_id = 0;
  std::string imei;
  std::string service_id;
};

Result<std::vector<Uncertain>> SelectUncertain(Database& db, std::optional<int64_t> item_id,
                                               std::optional<int64_t> job_id) {
  Result<Statement> rows = db.Prepare(
      "SELECT items.id, items.job_id, items.imei, jobs.service_id FROM items JOIN jobs ON jobs.id "
      "= items.job_id"
      " WHERE items.state = 'uncertain'"
      " AND (items.id = ?1 OR (?1 IS NULL AND items.job_id = ?2)) ORDER BY items.id");
  if (!rows.ok()) return rows.status();
  rows->Bind(1, item_id).Bind(2, job_id);
  std::vector<Uncertain> items;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return items;
    items.push_back(Uncertain{rows->ColumnInt(0), rows->ColumnInt(1), rows->ColumnText(2),
                              rows->ColumnText(3)});
  }
}

// Finds the order that exists for an item's IMEI + service: not rejected,
// one no other item links to first, then the newest.
class OrderFinder {
 public:
  static Result<OrderFinder> Create(Database& db) {
    Result<Statement> find = db.Prepare(
        "SELECT o.id, o.status, o.job_id IS NOT NULL FROM orders o"
        " WHERE o.imei = ?1 AND o.service_id = ?2 AND o.status != 'rejected'"
        " ORDER BY EXISTS (SELECT 1 FROM items l WHERE l.imei = o.imei AND l.order_id = o.id"
        " AND l.id != ?3), o.id DESC LIMIT 1");
    if (!find.ok()) return find.status();
    return OrderFinder(std::move(*find));
  }

  // The order for item `item_id` of `imei` + `service_id`, if one exists;
  // `counted` tells whether its price is already in spending (it has a job).
  Result<std::optional<ExistingOrder>> Find(int64_t item_id, const std::string& imei,
                                            const std::string& service_id, bool* counted) {
    find_.Reset();
    find_.Bind(1, imei).Bind(2, service_id).Bind(3, item_id);
    Result<bool> row = find_.Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<ExistingOrder>();
    if (counted) *counted = find_.ColumnInt(2) != 0;
    ExistingOrder order{find_.ColumnInt(0), find_.ColumnText(1)};
    find_.Reset();
    return std::optional<ExistingOrder>(std::move(order));
  }

 private:
  explicit OrderFinder(Statement find) : find_(std::move(find)) {}
  Statement find_;
};

// Why `decision` is refused for an item whose IMEI has `order`.
Status Refusal(ReviewDecision decision, const Uncertain& item, const ExistingOrder& order) {
  return Status::InvalidArgument(fmt::format(
      "item {}: IMEI {} already has order {} ({}) for service {}, so {} is refused ({}): resolve "
      "it as submitted",
      item.id, item.imei, order.id, SupplierStatusWord(order.status), item.service_id,
      DecisionName(decision),
      decision == ReviewDecision::kResend ? "it would be ordered and paid again"
                                          : "it would drop a paid order"));
}

}  // namespace

std::optional<ReviewDecision> ParseReviewDecision(std::string_view text) {
  for (ReviewDecision d :
       {ReviewDecision::kSubmitted, ReviewDecision::kResend, ReviewDecision::kCancel}) {
    if (DecisionName(d) == text) return d;
  }
  return std::nullopt;
}

Result<int64_t> ReviewRepository::Count(std::optional<int64_t> job_id) {
  Result<Statement> row = db_.Prepare(
      "SELECT count(*) FROM items WHERE state = 'uncertain' AND (?1 IS NULL OR job_id = ?1)");
  if (!row.ok()) return row.status();
  row->Bind(1, job_id);
  if (Result<bool> r = row->Step(); !r.ok()) return r.status();
  return row->ColumnInt(0);
}

namespace {

constexpr const char* kReviewColumns =
    "SELECT items.id, items.job_id, items.imei, jobs.service_id, items.reason,"
    " items.updated_at, items.attempts FROM items JOIN jobs ON jobs.id = items.job_id";

// The review items of `rows` (kReviewColumns), each with the order its
// IMEI + service has here, if any.
Result<std::vector<ReviewItem>> ReadReviewItems(Database& db, Statement& rows) {
  Result<OrderFinder> finder = OrderFinder::Create(db);
  if (!finder.ok()) return finder.status();
  std::vector<ReviewItem> items;
  for (;;) {
    Result<bool> more = rows.Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    ReviewItem item;
    item.item_id = rows.ColumnInt(0);
    item.job_id = rows.ColumnInt(1);
    item.imei = rows.ColumnText(2);
    item.service_id = rows.ColumnText(3);
    item.reason = rows.ColumnText(4);
    item.since = rows.ColumnInt(5);
    item.attempts = static_cast<int>(rows.ColumnInt(6));
    items.push_back(std::move(item));
  }
  for (ReviewItem& item : items) {
    Result<std::optional<ExistingOrder>> order =
        finder->Find(item.item_id, item.imei, item.service_id, nullptr);
    if (!order.ok()) return order.status();
    item.order = std::move(*order);
  }
  return items;
}

// The shop's words for one raw reason (the part after any "an earlier call
// may have been applied; " prefix).
std::string PlainReason(std::string_view raw, int timeout_s) {
  auto starts = [&](std::string_view prefix) { return raw.substr(0, prefix.size()) == prefix; };
  auto holds = [&](std::string_view part) { return raw.find(part) != std::string_view::npos; };
  if (starts("timed out after sending")) {
    return fmt::format("no answer from the supplier in {} s after sending", timeout_s);
  }
  if (starts("connection lost; resending refused")) {
    return "connection dropped after sending (not sent again by itself)";
  }
  if (starts("connection lost")) return "connection dropped after sending";
  if (starts("undecodable answer") || starts("unreadable answer")) {
    return "the supplier's answer could not be read";
  }
  if (starts("answer too large")) return "the supplier's answer was too large to read";
  if (holds("answered HTTP 5")) return "the supplier's server failed while answering";
  if (holds("answered HTTP")) return "the supplier answered with an unexpected error";
  if (holds("left out") || holds("not in the answer")) {
    return "the supplier's answer did not mention this IMEI";
  }
  return "the supplier's answer did not say whether it was ordered";
}

}  // namespace

std::string ReviewReasonText(std::string_view raw, int timeout_s) {
  constexpr std::string_view kEarlier = "an earlier call may have been applied; ";
  if (raw.substr(0, kEarlier.size()) == kEarlier) {
    return "an earlier send may have reached the supplier; then " +
           PlainReason(raw.substr(kEarlier.size()), timeout_s);
  }
  return PlainReason(raw, timeout_s);
}

Result<std::vector<ReviewItem>> ReviewRepository::List(int64_t limit) {
  Result<Statement> rows = db_.Prepare(fmt::format(
      "{} WHERE items.state = 'uncertain' ORDER BY items.updated_at, items.id LIMIT ?1",
      kReviewColumns));
  if (!rows.ok()) return rows.status();
  rows->Bind(1, limit);
  return ReadReviewItems(db_, *rows);
}

Result<std::vector<ReviewItem>> ReviewRepository::ListByJob(const ReviewFilter& filter) {
  Result<Statement> rows = db_.Prepare(fmt::format(
      "{} WHERE items.state = 'uncertain' AND (?1 IS NULL OR items.job_id = ?1)"
      " ORDER BY items.job_id, items.updated_at, items.id LIMIT ?2 OFFSET ?3",
      kReviewColumns));
  if (!rows.ok()) return rows.status();
  rows->Bind(1, filter.job_id).Bind(2, filter.limit).Bind(3, filter.offset);
  return ReadReviewItems(db_, *rows);
}

Result<int64_t> ReviewRepository::Decide(std::optional<int64_t> item_id,
                                         std::optional<int64_t> job_id, ReviewDecision decision,
                                         const std::string& actor, int64_t now_ms,
                                         int64_t* left_with_order) {
  if (item_id.has_value() == job_id.has_value()) {
    return Status::InvalidArgument("review: name either one item or one job");
  }
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<std::vector<Uncertain>> items = SelectUncertain(db_, item_id, job_id);
  if (!items.ok()) return items.status();
  if (items->empty()) {
    return Status::NotFound(item_id ? fmt::format("item {} is not awaiting review", *item_id)
                                    : fmt::format("job {} has no item awaiting review", *job_id));
  }
  Result<OrderWriter> orders = OrderWriter::Create(db_);
  Result<OrderFinder> finder = OrderFinder::Create(db_);
  Result<Statement> adopt =
      db_.Prepare("UPDATE orders SET job_id = ?2 WHERE id = ?1 AND job_id IS NULL");
  Result<Statement> audit =
      db_.Prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)");
  if (!orders.ok()) return orders.status();
  if (!finder.ok()) return finder.status();
  if (!adopt.ok()) return adopt.status();
  if (!audit.ok()) return audit.status();

  ItemTransitions transitions(db_);
  const std::string reason = fmt::format("review: {} by {}", DecisionName(decision), actor);
  int64_t changed = 0;
  int64_t left = 0;
  for (const Uncertain& item : *items) {
    bool counted = false;
    Result<std::optional<ExistingOrder>> existing =
        finder->Find(item.id, item.imei, item.service_id, &counted);
    if (!existing.ok()) return existing.status();
    std::optional<int64_t> order_id;
    ItemState to = ItemState::kCancelled;
    std::string detail = fmt::format("item {}", item.id);
    if (*existing && decision != ReviewDecision::kSubmitted) {
      if (item_id) return Refusal(decision, item, **existing);
      ++left;
      continue;
    }
    if (decision == ReviewDecision::kSubmitted && *existing) {
      // The supplier's order is known here already: link it, never a second.
      order_id = (*existing)->id;
      to = (*existing)->status == "unconfirmed" ? ItemState::kAcceptedUnconfirmed
                                                : ItemState::kAccepted;
      detail += fmt::format(": linked to order {}", *order_id);
      if (!counted) {  // imported: its price joins spending with the item's job
        adopt->Reset();
        if (Status s = adopt->Bind(1, *order_id).Bind(2, item.job_id).Run(); !s.ok()) return s;
        if (Status s = orders->Charge(item.id, UtcDay(now_ms)); !s.ok()) return s;
      }
    } else if (decision == ReviewDecision::kSubmitted) {
      Result<int64_t> order = orders->InsertOrder(item.id, "", "unconfirmed", now_ms);
      if (!order.ok()) return order.status();
      order_id = *order;
      to = ItemState::kAcceptedUnconfirmed;
      if (Status s = orders->Charge(item.id, UtcDay(now_ms)); !s.ok()) return s;
    } else if (decision == ReviewDecision::kResend) {
      to = ItemState::kQueued;
    }
    ItemChange change;
    change.reason = reason;
    change.after_uncertain = decision == ReviewDecision::kResend;
    change.not_before = 0;
    change.order_id = order_id;
    Result<bool> moved = transitions.Move(item.id, ItemState::kUncertain, to, change, now_ms);
    if (!moved.ok()) return moved.status();
    audit->Reset();
    audit->Bind(1, now_ms)
        .Bind(2, actor)
        .Bind(3, fmt::format("review.{}", DecisionName(decision)))
        .Bind(4, detail);
    if (Status s = audit->Run(); !s.ok()) return s;
    ++changed;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  if (left_with_order) *left_with_order = left;
  return changed;
}

}  // namespace imeiflow::store
