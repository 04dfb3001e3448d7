#include "store/dispatch_repository.h"

#include <fmt/format.h>

#include <ctime>

#include "store/order_writer.h"

namespace imeiflow::store {
namespace {

// Enough rows to fill every free slot with full batches.
constexpr int64_t kMaxBatchSize = 100;

struct ReadyItem {
  CallItem item;
  bool alone = false;
  int batch_size = 1;
  std::string service_id;
  int64_t price_cents = 0;
};

Result<std::vector<ReadyItem>> ReadyItems(Database& db, int64_t now_ms, int64_t limit) {
  Result<Statement> rows = db.Prepare(
      "SELECT items.id, items.job_id, items.imei, items.attempts, items.after_uncertain,"
      " items.alone, jobs.batch_size, jobs.service_id, jobs.price_cents"
      " FROM items JOIN jobs ON jobs.id = items.job_id"
      " WHERE items.state = 'queued' AND items.not_before <= ?1"
      " ORDER BY items.job_id, items.id LIMIT ?2");
  if (!rows.ok()) return rows.status();
  rows->Bind(1, now_ms).Bind(2, limit);
  std::vector<ReadyItem> ready;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return ready;
    ReadyItem r;
    r.item.item_id = rows->ColumnInt(0);
    r.item.job_id = rows->ColumnInt(1);
    r.item.imei = rows->ColumnText(2);
    r.item.attempts = static_cast<int>(rows->ColumnInt(3)) + 1;
    r.item.after_uncertain = rows->ColumnInt(4) != 0;
    r.alone = rows->ColumnInt(5) != 0;
    r.batch_size = static_cast<int>(rows->ColumnInt(6));
    r.service_id = rows->ColumnText(7);
    r.price_cents = rows->ColumnInt(8);
    ready.push_back(std::move(r));
  }
}

// Groups ready items into calls: one job per call, up to its batch size;
// an item marked alone (or every item, in one-IMEI mode) gets its own call.
std::vector<CallIntent> GroupIntoCalls(const std::vector<ReadyItem>& ready,
                                       const ClaimLimits& limits, int64_t budget_cents,
                                       bool* capped) {
  std::vector<CallIntent> calls;
  int64_t open_job = -1;
  int open_batch = 0;
  for (const ReadyItem& r : ready) {
    if (r.price_cents > budget_cents) {
      *capped = true;
      break;
    }
    int batch = limits.one_imei_per_call ? 1 : r.batch_size;
    bool joins_open_call = !calls.empty() && !r.alone && r.item.job_id == open_job &&
                           static_cast<int>(calls.back().items.size()) < open_batch;
    if (!joins_open_call) {
      if (static_cast<int>(calls.size()) == limits.max_calls) break;
      CallIntent call;
      call.service_id = r.service_id;
      call.price = Money::FromCents(r.price_cents);
      calls.push_back(std::move(call));
      open_job = r.alone ? -1 : r.item.job_id;  // nothing joins an alone item
      open_batch = batch;
    }
    calls.back().items.push_back(r.item);
    budget_cents -= r.price_cents;
  }
  return calls;
}

Status WriteIntents(Database& db, std::vector<CallIntent>& calls, int64_t now_ms) {
  Result<Statement> insert_call =
      db.Prepare("INSERT INTO calls(service_id, created_at) VALUES (?1, ?2)");
  Result<Statement> link = db.Prepare("INSERT INTO call_items(call_id, item_id) VALUES (?1, ?2)");
  Result<Statement> take = db.Prepare(
      "UPDATE items SET state = 'in_flight', call_id = ?1, attempts = attempts + 1,"
      " updated_at = ?2 WHERE id = ?3 AND state = 'queued'");
  for (const auto* r : {&insert_call, &link, &take}) {
    if (!r->ok()) return r->status();
  }
  for (CallIntent& call : calls) {
    insert_call->Reset();
    if (Status s = insert_call->Bind(1, call.service_id).Bind(2, now_ms).Run(); !s.ok()) return s;
    call.call_id = db.LastInsertId();
    for (const CallItem& item : call.items) {
      link->Reset();
      take->Reset();
      if (Status s = link->Bind(1, call.call_id).Bind(2, item.item_id).Run(); !s.ok()) return s;
      if (Status s = take->Bind(1, call.call_id).Bind(2, now_ms).Bind(3, item.item_id).Run();
          !s.ok()) {
        return s;
      }
    }
  }
  return Status::Ok();
}

}  // namespace

std::string UtcDay(int64_t now_ms) {
  std::time_t seconds = static_cast<std::time_t>(now_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

Result<Money> DispatchRepository::SpentToday(int64_t now_ms) {
  Result<Statement> row =
      db_.Prepare("SELECT coalesce(sum(cents), 0) FROM spending WHERE day = ?1");
  if (!row.ok()) return row.status();
  row->Bind(1, UtcDay(now_ms));
  if (Result<bool> r = row->Step(); !r.ok()) return r.status();
  return Money::FromCents(row->ColumnInt(0));
}

// Money that may already be charged or soon will be: items in flight,
// uncertain, or queued again after an uncertain call.
Result<int64_t> DispatchRepository::ReservedCents() {
  Result<Statement> row = db_.Prepare(
      "SELECT coalesce(sum(jobs.price_cents), 0) FROM items JOIN jobs ON jobs.id = items.job_id"
      " WHERE items.state IN ('in_flight', 'uncertain')"
      " OR (items.state = 'queued' AND items.after_uncertain = 1)");
  if (!row.ok()) return row.status();
  if (Result<bool> r = row->Step(); !r.ok()) return r.status();
  return row->ColumnInt(0);
}

Result<ClaimResult> DispatchRepository::Claim(const ClaimLimits& limits) {
  ClaimResult result;
  if (limits.max_calls <= 0) return result;
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();

  int64_t budget = INT64_MAX;
  if (limits.daily_cap) {
    Result<Money> spent = SpentToday(limits.now_ms);
    if (!spent.ok()) return spent.status();
    Result<int64_t> reserved = ReservedCents();
    if (!reserved.ok()) return reserved.status();
    budget = limits.daily_cap->cents() - spent->cents() - *reserved;
  }
  Result<std::vector<ReadyItem>> ready =
      ReadyItems(db_, limits.now_ms, int64_t{limits.max_calls} * kMaxBatchSize);
  if (!ready.ok()) return ready.status();
  result.calls = GroupIntoCalls(*ready, limits, budget, &result.capped);
  if (result.calls.empty()) return result;
  if (Status s = WriteIntents(db_, result.calls, limits.now_ms); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return result;
}

Status DispatchRepository::Finish(const std::vector<FinishedCall>& calls, int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<Statement> end_call = db_.Prepare(
      "UPDATE calls SET outcome = ?2, http_status = ?3, latency_ms = ?4, error = ?5,"
      " finished_at = ?6 WHERE id = ?1 AND outcome IS NULL");
  Result<Statement> move = db_.Prepare(
      "UPDATE items SET state = ?2, reason = ?3, not_before = ?4, after_uncertain = ?5,"
      " alone = ?6, order_id = coalesce(?7, order_id), updated_at = ?8"
      " WHERE id = ?1 AND state = 'in_flight'");
  Result<OrderWriter> orders = OrderWriter::Create(db_);
  if (!orders.ok()) return orders.status();
  for (const auto* r : {&end_call, &move}) {
    if (!r->ok()) return r->status();
  }
  const std::string day = UtcDay(now_ms);

  for (const FinishedCall& call : calls) {
    end_call->Reset();
    end_call->Bind(1, call.call_id)
        .Bind(2, call.outcome)
        .Bind(3, int64_t{call.http_status})
        .Bind(4, call.latency_ms)
        .Bind(5, call.error)
        .Bind(6, now_ms);
    if (Status s = end_call->Run(); !s.ok()) return s;
    if (db_.Changes() == 0) continue;  // already finished: apply an answer once

    for (const ItemTransition& t : call.transitions) {
      std::optional<int64_t> order_id;
      if (t.order) {
        Result<int64_t> id =
            orders->InsertOrder(t.item_id, t.order->upstream_id, t.order->status, now_ms);
        if (!id.ok()) return id.status();
        order_id = *id;
      }
      move->Reset();
      move->Bind(1, t.item_id)
          .Bind(2, ItemStateName(t.to))
          .Bind(3, t.reason)
          .Bind(4, t.not_before)
          .Bind(5, int64_t{t.after_uncertain})
          .Bind(6, int64_t{t.alone})
          .Bind(7, order_id)
          .Bind(8, now_ms);
      if (Status s = move->Run(); !s.ok()) return s;
      bool charged = t.to == ItemState::kAccepted || t.to == ItemState::kAcceptedUnconfirmed;
      if (charged && db_.Changes() == 1) {
        if (Status s = orders->Charge(t.item_id, day); !s.ok()) return s;
      }
    }
  }
  return tx.Commit();
}

Result<int64_t> DispatchRepository::Recover(int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<Statement> calls = db_.Prepare(
      "UPDATE calls SET outcome = 'unknown', finished_at = ?1,"
      " error = 'imeiflow stopped before the answer was recorded' WHERE outcome IS NULL");
  Result<Statement> items = db_.Prepare(
      "UPDATE items SET state = 'uncertain', updated_at = ?1,"
      " reason = 'imeiflow stopped while the call was in flight; it may have been applied'"
      " WHERE state = 'in_flight'");
  if (!calls.ok()) return calls.status();
  if (!items.ok()) return items.status();
  if (Status s = calls->Bind(1, now_ms).Run(); !s.ok()) return s;
  if (Status s = items->Bind(1, now_ms).Run(); !s.ok()) return s;
  int64_t uncertain = db_.Changes();
  if (Status s = tx.Commit(); !s.ok()) return s;
  return uncertain;
}

Result<int64_t> DispatchRepository::RequeueUncertain(int64_t now_ms) {
  Result<Statement> update = db_.Prepare(
      "UPDATE items SET state = 'queued', after_uncertain = 1, not_before = 0, updated_at = ?1"
      " WHERE state = 'uncertain'");
  if (!update.ok()) return update.status();
  if (Status s = update->Bind(1, now_ms).Run(); !s.ok()) return s;
  return int64_t{db_.Changes()};
}

Result<int64_t> DispatchRepository::QueuedCount() {
  Result<Statement> row = db_.Prepare("SELECT count(*) FROM items WHERE state = 'queued'");
  if (!row.ok()) return row.status();
  if (Result<bool> r = row->Step(); !r.ok()) return r.status();
  return row->ColumnInt(0);
}

Result<std::optional<int64_t>> DispatchRepository::NextReadyAt() {
  Result<Statement> row = db_.Prepare("SELECT min(not_before) FROM items WHERE state = 'queued'");
  if (!row.ok()) return row.status();
  if (Result<bool> r = row->Step(); !r.ok()) return r.status();
  if (row->ColumnIsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(row->ColumnInt(0));
}

}  // namespace imeiflow::store
