#include "store/dispatch_repository.h"

#include "core/time_text.h"
#include "store/job_repository.h"
#include "store/settings_repository.h"

namespace imeiflow::store {
namespace {

constexpr std::string_view kReadyItemsSql =
    "SELECT items.id, items.job_id, items.imei, items.attempts, items.after_uncertain,"
    " items.alone, jobs.batch_size, jobs.service_id, jobs.price_cents"
    " FROM items JOIN jobs ON jobs.id = items.job_id"
    " WHERE items.state = 'queued' AND items.not_before <= ?1"
    " ORDER BY items.job_id, items.id";

struct ReadyItem {
  CallItem item;
  bool alone = false;
  int batch_size = 1;
  std::string service_id;
  int64_t price_cents = 0;
};

ReadyItem ReadRow(const Statement& row) {
  ReadyItem r;
  r.item.item_id = row.ColumnInt(0);
  r.item.job_id = row.ColumnInt(1);
  r.item.imei = row.ColumnText(2);
  r.item.attempts = static_cast<int>(row.ColumnInt(3)) + 1;
  r.item.after_uncertain = row.ColumnInt(4) != 0;
  r.alone = row.ColumnInt(5) != 0;
  r.batch_size = static_cast<int>(row.ColumnInt(6));
  r.service_id = row.ColumnText(7);
  r.price_cents = row.ColumnInt(8);
  return r;
}

// Groups ready items into calls as they are read: one job per call, up to its
// batch size; an item marked alone (or every item, in one-IMEI mode) gets its
// own call. Reading stops at the first item that does not fit, so a claim
// reads about as many rows as it takes.
class CallGrouper {
 public:
  CallGrouper(const ClaimLimits& limits, int64_t budget_cents)
      : limits_(limits), budget_cents_(budget_cents) {}

  // Adds `r` to the open call or a new one; false when it does not fit (every
  // slot taken, or the daily cap reached): read no further.
  bool Add(const ReadyItem& r) {
    if (r.price_cents > budget_cents_) {
      capped_ = true;
      return false;
    }
    int batch = limits_.one_imei_per_call ? 1 : r.batch_size;
    bool joins_open_call = !calls_.empty() && !r.alone && r.item.job_id == open_job_ &&
                           static_cast<int>(calls_.back().items.size()) < open_batch_;
    if (!joins_open_call) {
      if (static_cast<int>(calls_.size()) == limits_.max_calls) return false;
      CallIntent call;
      call.service_id = r.service_id;
      call.price = Money::FromCents(r.price_cents);
      calls_.push_back(std::move(call));
      open_job_ = r.alone ? -1 : r.item.job_id;  // nothing joins an alone item
      open_batch_ = batch;
    }
    calls_.back().items.push_back(r.item);
    budget_cents_ -= r.price_cents;
    return true;
  }
  std::vector<CallIntent>& calls() { return calls_; }
  bool capped() const { return capped_; }

 private:
  const ClaimLimits& limits_;
  int64_t budget_cents_;
  std::vector<CallIntent> calls_;
  int64_t open_job_ = -1;
  int open_batch_ = 0;
  bool capped_ = false;
};

// Feeds ready items (oldest job first) to `grouper` until one does not fit.
Status ReadReadyItems(Statement& row, int64_t now_ms, CallGrouper& grouper) {
  row.Bind(1, now_ms);
  Status status = Status::Ok();
  for (;;) {
    Result<bool> more = row.Step();
    if (!more.ok()) {
      status = more.status();
      break;
    }
    if (!*more || !grouper.Add(ReadRow(row))) break;
  }
  row.Reset();  // ends the read before the items are written
  return status;
}

}  // namespace

std::string UtcDay(int64_t now_ms) { return FormatUtc(now_ms, "%Y-%m-%d"); }

Result<DaySpending> DispatchRepository::SpendingOn(int64_t now_ms) {
  Result<Statement> row = db_.Prepare(
      "SELECT coalesce(sum(cents), 0), coalesce(sum(refunded_cents), 0) FROM spending"
      " WHERE day = ?1");
  if (!row.ok()) return row.status();
  row->Bind(1, UtcDay(now_ms));
  if (Result<bool> r = row->Step(); !r.ok()) return r.status();
  return DaySpending{Money::FromCents(row->ColumnInt(0)), Money::FromCents(row->ColumnInt(1))};
}

Result<Money> DispatchRepository::SpentToday(int64_t now_ms) {
  Result<DaySpending> day = SpendingOn(now_ms);
  if (!day.ok()) return day.status();
  return day->spent();
}

Result<Money> DispatchRepository::Reserved() {
  Result<Statement> row = db_.Prepare(
      "SELECT coalesce(sum(jobs.price_cents), 0) FROM items JOIN jobs ON jobs.id = items.job_id"
      " WHERE items.state IN ('in_flight', 'uncertain')"
      " OR (items.state = 'queued' AND items.after_uncertain = 1)");
  if (!row.ok()) return row.status();
  if (Result<bool> r = row->Step(); !r.ok()) return r.status();
  return Money::FromCents(row->ColumnInt(0));
}

Result<ClaimResult> DispatchRepository::Claim(const ClaimLimits& limits) {
  ClaimResult result;
  if (limits.max_calls <= 0) return result;
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();

  int64_t budget = INT64_MAX;
  Result<DailyCap> cap = SettingsRepository(db_).DailyCapInForce(limits.daily_cap);
  if (!cap.ok()) return cap.status();
  result.cap = cap->cap;
  if (cap->cap) {
    Result<Money> spent = SpentToday(limits.now_ms);
    if (!spent.ok()) return spent.status();
    Result<Money> reserved = Reserved();
    if (!reserved.ok()) return reserved.status();
    budget = (*cap->cap - *spent - *reserved).cents();
  }
  Result<Statement*> ready = db_.PrepareCached(ready_items_, kReadyItemsSql);
  if (!ready.ok()) return ready.status();
  CallGrouper grouper(limits, budget);
  if (Status s = ReadReadyItems(**ready, limits.now_ms, grouper); !s.ok()) return s;
  result.capped = grouper.capped();
  result.calls = std::move(grouper.calls());
  if (result.calls.empty()) return result;
  if (Status s = WriteIntents(result.calls, limits.now_ms); !s.ok()) return s;
  if (Status s = tx.Commit(); !s.ok()) return s;
  return result;
}

Status DispatchRepository::WriteIntents(std::vector<CallIntent>& calls, int64_t now_ms) {
  Result<Statement*> insert_call =
      db_.PrepareCached(insert_call_, "INSERT INTO calls(service_id, created_at) VALUES (?1, ?2)");
  Result<Statement*> link =
      db_.PrepareCached(link_item_, "INSERT INTO call_items(call_id, item_id) VALUES (?1, ?2)");
  for (const auto* r : {&insert_call, &link}) {
    if (!r->ok()) return r->status();
  }
  for (CallIntent& call : calls) {
    Statement& insert = **insert_call;
    insert.Reset();
    if (Status s = insert.Bind(1, call.service_id).Bind(2, now_ms).Run(); !s.ok()) return s;
    call.call_id = db_.LastInsertId();
    for (const CallItem& item : call.items) {
      (*link)->Reset();
      if (Status s = (*link)->Bind(1, call.call_id).Bind(2, item.item_id).Run(); !s.ok()) {
        return s;
      }
      ItemChange sent;
      sent.call_id = call.call_id;
      sent.attempts = item.attempts;  // read in this transaction, this call included
      Result<bool> taken =
          transitions_.Move(item.item_id, ItemState::kQueued, ItemState::kInFlight, sent, now_ms);
      if (!taken.ok()) return taken.status();
    }
  }
  return Status::Ok();
}

Status DispatchRepository::Finish(const std::vector<FinishedCall>& calls, int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<Statement*> end_call = db_.PrepareCached(
      end_call_,
      "UPDATE calls SET outcome = ?2, http_status = ?3, latency_ms = ?4, error = ?5,"
      " finished_at = ?6 WHERE id = ?1 AND outcome IS NULL");
  Result<Statement*> job_cancelled =
      db_.PrepareCached(job_cancelled_,
                        "SELECT 1 FROM items JOIN jobs ON jobs.id = items.job_id"
                        " WHERE items.id = ?1 AND jobs.cancelled_at IS NOT NULL");
  for (const auto* r : {&end_call, &job_cancelled}) {
    if (!r->ok()) return r->status();
  }
  if (!orders_) {
    Result<OrderWriter> orders = OrderWriter::Create(db_, first_poll_delay_ms_);
    if (!orders.ok()) return orders.status();
    orders_.emplace(std::move(*orders));
  }
  const std::string day = UtcDay(now_ms);

  for (const FinishedCall& call : calls) {
    Statement& end = **end_call;
    end.Reset();
    end.Bind(1, call.call_id)
        .Bind(2, call.outcome)
        .Bind(3, int64_t{call.http_status})
        .Bind(4, call.latency_ms)
        .Bind(5, call.error)
        .Bind(6, now_ms);
    if (Status s = end.Run(); !s.ok()) return s;
    if (db_.Changes() == 0) continue;  // already finished: apply an answer once

    for (const ItemTransition& t : call.transitions) {
      std::optional<int64_t> order_id;
      if (t.order) {
        Result<int64_t> id =
            orders_->InsertOrder(t.item_id, t.order->upstream_id, t.order->status, now_ms);
        if (!id.ok()) return id.status();
        order_id = *id;
      }
      ItemChange answer;
      answer.reason = t.reason;
      answer.not_before = t.not_before;
      answer.after_uncertain = t.after_uncertain;
      answer.alone = t.alone;
      answer.order_id = order_id;
      Result<bool> moved = transitions_.Move(t.item_id, ItemState::kInFlight, t.to, answer, now_ms);
      if (!moved.ok()) return moved.status();
      if (!*moved) continue;  // no longer in flight: an answer is applied once
      if (t.if_job_cancelled) {
        if (Status s = EndIfJobCancelled(**job_cancelled, t, now_ms); !s.ok()) return s;
      }
      bool charged = t.to == ItemState::kAccepted || t.to == ItemState::kAcceptedUnconfirmed;
      if (charged) {
        if (Status s = orders_->Charge(t.item_id, day); !s.ok()) return s;
        if (refunds_rejected_ && order_id && t.order->status == "rejected") {
          if (Result<bool> r = BookRefund(db_, *order_id, now_ms); !r.ok()) return r.status();
        }
      }
    }
  }
  return tx.Commit();
}

Status DispatchRepository::EndIfJobCancelled(Statement& job_cancelled, const ItemTransition& t,
                                             int64_t now_ms) {
  job_cancelled.Reset();
  job_cancelled.Bind(1, t.item_id);
  Result<bool> cancelled = job_cancelled.Step();
  job_cancelled.Reset();
  if (!cancelled.ok()) return cancelled.status();
  if (!*cancelled) return Status::Ok();
  // Cancelled only when no call may have applied it (ItemTransitions checks
  // the one rule), else to review.
  ItemChange end;
  end.reason = *t.if_job_cancelled == ItemState::kCancelled ? std::string("job cancelled")
                                                            : "job cancelled; " + t.reason;
  Result<bool> moved =
      transitions_.Move(t.item_id, ItemState::kQueued, *t.if_job_cancelled, end, now_ms);
  return moved.status();
}

Result<int64_t> DispatchRepository::Recover(int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<Statement> calls = db_.Prepare(
      "UPDATE calls SET outcome = 'unknown', finished_at = ?1,"
      " error = 'imeiflow stopped before the answer was recorded' WHERE outcome IS NULL");
  if (!calls.ok()) return calls.status();
  if (Status s = calls->Bind(1, now_ms).Run(); !s.ok()) return s;
  ItemChange stopped;
  stopped.reason = "imeiflow stopped while the call was in flight; it may have been applied";
  Result<int64_t> uncertain = transitions_.MoveAll(std::nullopt, ItemState::kInFlight,
                                                   ItemState::kUncertain, stopped, now_ms);
  if (!uncertain.ok()) return uncertain.status();
  if (Status s = tx.Commit(); !s.ok()) return s;
  return *uncertain;
}

Result<int64_t> DispatchRepository::RequeueUncertain(int64_t now_ms) {
  ItemChange resend;
  resend.after_uncertain = true;
  resend.not_before = 0;
  return transitions_.MoveAll(std::nullopt, ItemState::kUncertain, ItemState::kQueued, resend,
                              now_ms);
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
