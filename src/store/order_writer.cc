#include "store/order_writer.h"

#include "store/dispatch_repository.h"

namespace imeiflow::store {

Result<bool> BookRefund(Database& db, int64_t order_id, int64_t now_ms) {
  Result<Statement> mark = db.Prepare(
      "UPDATE orders SET refunded_at = ?2 WHERE id = ?1 AND status = 'rejected'"
      " AND job_id IS NOT NULL AND refunded_at IS NULL RETURNING placed_at, price_cents");
  if (!mark.ok()) return mark.status();
  mark->Bind(1, order_id).Bind(2, now_ms);
  Result<bool> marked = mark->Step();
  if (!marked.ok()) return marked.status();
  if (!*marked) return false;
  std::string day = UtcDay(mark->ColumnInt(0));
  int64_t cents = mark->ColumnInt(1);
  if (Result<bool> end = mark->Step(); !end.ok()) return end.status();  // completes the update
  Result<Statement> book = db.Prepare(
      "INSERT INTO spending(day, cents, refunded_cents) VALUES (?1, 0, ?2)"
      " ON CONFLICT(day) DO UPDATE SET refunded_cents = refunded_cents + excluded.refunded_cents");
  if (!book.ok()) return book.status();
  if (Status s = book->Bind(1, day).Bind(2, cents).Run(); !s.ok()) return s;
  return true;
}

Result<OrderWriter> OrderWriter::Create(Database& db, int64_t first_poll_delay_ms) {
  Result<Statement> insert = db.Prepare(
      "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, job_id, placed_at,"
      " updated_at, next_poll_at) SELECT ?2, items.imei, jobs.service_id, ?3, jobs.price_cents,"
      " jobs.id, ?4, ?4, ?4 + ?5"
      " FROM items JOIN jobs ON jobs.id = items.job_id WHERE items.id = ?1"
      " ON CONFLICT(upstream_id) DO NOTHING");
  Result<Statement> find = db.Prepare("SELECT id FROM orders WHERE upstream_id = ?1");
  Result<Statement> charge = db.Prepare(
      "INSERT INTO spending(day, cents) SELECT ?1, jobs.price_cents FROM items"
      " JOIN jobs ON jobs.id = items.job_id WHERE items.id = ?2"
      " ON CONFLICT(day) DO UPDATE SET cents = cents + excluded.cents");
  for (const auto* r : {&insert, &find, &charge}) {
    if (!r->ok()) return r->status();
  }
  return OrderWriter(db, first_poll_delay_ms, std::move(*insert), std::move(*find),
                     std::move(*charge));
}

Result<int64_t> OrderWriter::InsertOrder(int64_t item_id, const std::string& upstream_id,
                                         const std::string& status, int64_t now_ms) {
  insert_.Reset();
  insert_.Bind(1, item_id).Bind(3, status).Bind(4, now_ms).Bind(5, first_poll_delay_ms_);
  if (upstream_id.empty()) {
    insert_.BindNull(2);
  } else {
    insert_.Bind(2, upstream_id);
  }
  if (Status s = insert_.Run(); !s.ok()) return s;
  if (db_->Changes() == 1) return db_->LastInsertId();
  // The supplier repeated an order id we already hold: link to that order.
  find_.Reset();
  find_.Bind(1, upstream_id);
  Result<bool> row = find_.Step();
  if (!row.ok()) return row.status();
  if (!*row)
    return Status::Internal("order insert changed nothing for item " + std::to_string(item_id));
  return find_.ColumnInt(0);
}

Status OrderWriter::Charge(int64_t item_id, const std::string& day) {
  charge_.Reset();
  return charge_.Bind(1, day).Bind(2, item_id).Run();
}

}  // namespace imeiflow::store
