#include "store/review_repository.h"

#include <fmt/format.h>

#include "store/dispatch_repository.h"
#include "store/order_writer.h"

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

Result<std::vector<int64_t>> SelectUncertain(Database& db, std::optional<int64_t> item_id,
                                             std::optional<int64_t> job_id) {
  Result<Statement> rows = db.Prepare(
      "SELECT id FROM items WHERE state = 'uncertain'"
      " AND (id = ?1 OR (?1 IS NULL AND job_id = ?2)) ORDER BY id");
  if (!rows.ok()) return rows.status();
  rows->Bind(1, item_id).Bind(2, job_id);
  std::vector<int64_t> ids;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return ids;
    ids.push_back(rows->ColumnInt(0));
  }
}

// Cancelling an uncertain item says the supplier never placed it: refused
// when an order for its IMEI + service exists (it may be that very order).
Status CheckNoOrder(Database& db, const std::vector<int64_t>& ids) {
  Result<Statement> row = db.Prepare(
      "SELECT items.imei, jobs.service_id, orders.id FROM items"
      " JOIN jobs ON jobs.id = items.job_id"
      " JOIN orders ON orders.imei = items.imei AND orders.service_id = jobs.service_id"
      " AND orders.status != 'rejected' WHERE items.id = ?1 LIMIT 1");
  if (!row.ok()) return row.status();
  for (int64_t id : ids) {
    row->Reset();
    row->Bind(1, id);
    Result<bool> found = row->Step();
    if (!found.ok()) return found.status();
    if (*found) {
      return Status::InvalidArgument(fmt::format(
          "item {} cannot be cancelled: IMEI {} already has order {} for service {}; resolve "
          "it as submitted",
          id, row->ColumnText(0), row->ColumnInt(2), row->ColumnText(1)));
    }
  }
  return Status::Ok();
}

}  // namespace

std::optional<ReviewDecision> ParseReviewDecision(std::string_view text) {
  for (ReviewDecision d :
       {ReviewDecision::kSubmitted, ReviewDecision::kResend, ReviewDecision::kCancel}) {
    if (DecisionName(d) == text) return d;
  }
  return std::nullopt;
}

Result<int64_t> ReviewRepository::Count() {
  Result<Statement> row = db_.Prepare("SELECT count(*) FROM items WHERE state = 'uncertain'");
  if (!row.ok()) return row.status();
  if (Result<bool> r = row->Step(); !r.ok()) return r.status();
  return row->ColumnInt(0);
}

Result<std::vector<ReviewItem>> ReviewRepository::List(int64_t limit) {
  Result<Statement> rows = db_.Prepare(
      "SELECT items.id, items.job_id, items.imei, jobs.service_id, items.reason,"
      " items.updated_at, items.attempts FROM items JOIN jobs ON jobs.id = items.job_id"
      " WHERE items.state = 'uncertain' ORDER BY items.updated_at, items.id LIMIT ?1");
  if (!rows.ok()) return rows.status();
  rows->Bind(1, limit);
  std::vector<ReviewItem> items;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return items;
    ReviewItem item;
    item.item_id = rows->ColumnInt(0);
    item.job_id = rows->ColumnInt(1);
    item.imei = rows->ColumnText(2);
    item.service_id = rows->ColumnText(3);
    item.reason = rows->ColumnText(4);
    item.since = rows->ColumnInt(5);
    item.attempts = static_cast<int>(rows->ColumnInt(6));
    items.push_back(std::move(item));
  }
}

Result<int64_t> ReviewRepository::Decide(std::optional<int64_t> item_id,
                                         std::optional<int64_t> job_id, ReviewDecision decision,
                                         const std::string& actor, int64_t now_ms) {
  if (item_id.has_value() == job_id.has_value()) {
    return Status::InvalidArgument("review: name either one item or one job");
  }
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<std::vector<int64_t>> ids = SelectUncertain(db_, item_id, job_id);
  if (!ids.ok()) return ids.status();
  if (ids->empty()) {
    return Status::NotFound(item_id ? fmt::format("item {} is not awaiting review", *item_id)
                                    : fmt::format("job {} has no item awaiting review", *job_id));
  }
  if (decision == ReviewDecision::kCancel) {
    if (Status s = CheckNoOrder(db_, *ids); !s.ok()) return s;
  }
  Result<OrderWriter> orders = OrderWriter::Create(db_);
  Result<Statement> move = db_.Prepare(
      "UPDATE items SET state = ?2, reason = ?3, after_uncertain = ?4, not_before = 0,"
      " order_id = coalesce(?5, order_id), updated_at = ?6 WHERE id = ?1");
  Result<Statement> audit =
      db_.Prepare("INSERT INTO audit(at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)");
  if (!orders.ok()) return orders.status();
  if (!move.ok()) return move.status();
  if (!audit.ok()) return audit.status();

  const std::string reason = fmt::format("review: {} by {}", DecisionName(decision), actor);
  for (int64_t id : *ids) {
    std::optional<int64_t> order_id;
    std::string_view to = "cancelled";
    if (decision == ReviewDecision::kSubmitted) {
      Result<int64_t> order = orders->InsertOrder(id, "", "unconfirmed", now_ms);
      if (!order.ok()) return order.status();
      order_id = *order;
      to = "accepted_unconfirmed";
      if (Status s = orders->Charge(id, UtcDay(now_ms)); !s.ok()) return s;
    } else if (decision == ReviewDecision::kResend) {
      to = "queued";
    }
    move->Reset();
    move->Bind(1, id)
        .Bind(2, to)
        .Bind(3, reason)
        .Bind(4, int64_t{decision == ReviewDecision::kResend})
        .Bind(5, order_id)
        .Bind(6, now_ms);
    if (Status s = move->Run(); !s.ok()) return s;
    audit->Reset();
    audit->Bind(1, now_ms)
        .Bind(2, actor)
        .Bind(3, fmt::format("review.{}", DecisionName(decision)))
        .Bind(4, fmt::format("item {}", id));
    if (Status s = audit->Run(); !s.ok()) return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return static_cast<int64_t>(ids->size());
}

}  // namespace imeiflow::store
