#include "store/sync_repository.h"

#include <fmt/format.h>

#include <limits>

#include "core/result_code.h"
#include "store/order_repository.h"
#include "store/order_writer.h"

namespace imeiflow::store {
namespace {

// The orders the schedule polls: exactly the rows of the partial index
// orders_to_sync (migration 3), so that these queries read only that index.
constexpr std::string_view kSchedulable =
    "status IN ('pending', 'in_process') AND stale_at IS NULL AND upstream_id IS NOT NULL";

constexpr std::string_view kOrderColumns =
    "id, upstream_id, status, coalesce(code, ''), placed_at, next_poll_at, misses";

// How Record() moves `misses`: the reschedule statement's third parameter.
enum MissesChange : int64_t { kResetMisses = 0, kAddMiss = 1, kKeepMisses = 2 };

}  // namespace

Result<std::vector<SyncOrder>> SyncRepository::ReadOrders(Statement& rows) {
  std::vector<SyncOrder> orders;
  for (;;) {
    Result<bool> more = rows.Step();
    if (!more.ok()) return more.status();
    if (!*more) return orders;
    SyncOrder o;
    o.id = rows.ColumnInt(0);
    o.upstream_id = rows.ColumnText(1);
    o.status = rows.ColumnText(2);
    o.code = rows.ColumnText(3);
    o.placed_at = rows.ColumnInt(4);
    o.next_poll_at = rows.ColumnInt(5);
    o.misses = static_cast<int>(rows.ColumnInt(6));
    orders.push_back(std::move(o));
  }
}

Result<std::vector<SyncOrder>> SyncRepository::Due(int64_t now_ms,
                                                   const std::optional<SyncCursor>& after,
                                                   int limit) {
  static const std::string kSql = fmt::format(
      "SELECT {} FROM orders WHERE {} AND next_poll_at <= ?1 AND (next_poll_at, id) > (?2, ?3)"
      " ORDER BY next_poll_at, id LIMIT ?4",
      kOrderColumns, kSchedulable);
  Result<Statement*> rows = db_.PrepareCached(due_, kSql);
  if (!rows.ok()) return rows.status();
  SyncCursor from = after.value_or(SyncCursor{std::numeric_limits<int64_t>::min(), 0});
  (*rows)->Bind(1, now_ms).Bind(2, from.next_poll_at).Bind(3, from.id).Bind(4, int64_t{limit});
  return ReadOrders(**rows);
}

Result<std::vector<SyncOrder>> SyncRepository::Open(int64_t after_id, int limit) {
  static const std::string kSql = fmt::format(
      "SELECT {} FROM orders WHERE status IN ('pending', 'in_process')"
      " AND upstream_id IS NOT NULL AND id > ?1 ORDER BY id LIMIT ?2",
      kOrderColumns);
  Result<Statement*> rows = db_.PrepareCached(open_, kSql);
  if (!rows.ok()) return rows.status();
  (*rows)->Bind(1, after_id).Bind(2, int64_t{limit});
  return ReadOrders(**rows);
}

Status SyncRepository::Record(const std::vector<PollRecord>& polls, int64_t now_ms) {
  if (polls.empty()) return Status::Ok();
  // Status, raw code and parsed fields, as OrderRepository::SetResult writes
  // them, but prepared once for a whole round of answers.
  static const std::string kSetResultSql = [] {
    std::string sets;
    int param = 4;
    for (const ResultFieldColumn& c : ResultFieldColumns()) {
      sets += fmt::format(", {} = ?{}", OrderFieldColumn(c.name), param++);
    }
    return fmt::format(
        "UPDATE orders SET status = ?2, code = ?3{} WHERE id = ?1"
        " AND status IN ('pending', 'in_process')",
        sets);
  }();
  static constexpr std::string_view kRescheduleSql =
      "UPDATE orders SET polls = polls + ?2,"
      " misses = CASE ?3 WHEN 0 THEN 0 WHEN 1 THEN misses + 1 ELSE misses END,"
      " next_poll_at = ?4, stale_at = CASE WHEN ?5 THEN coalesce(stale_at, ?6) ELSE stale_at END,"
      " updated_at = ?6 WHERE id = ?1";
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  for (const PollRecord& poll : polls) {
    if (poll.kind == PollRecord::Kind::kChanged) {
      Result<Statement*> set = db_.PrepareCached(set_result_, kSetResultSql);
      if (!set.ok()) return set.status();
      ParsedResultCode parsed = ParseResultCode(poll.code);
      (*set)->Bind(1, poll.order_id).Bind(2, poll.status).Bind(3, poll.code);
      int param = 4;
      for (const ResultFieldColumn& c : ResultFieldColumns()) {
        (*set)->Bind(param++, parsed.fields.*c.member);
      }
      if (Status s = (*set)->Run(); !s.ok()) return s;
      if (refunds_rejected_ && poll.status == "rejected" && db_.Changes() == 1) {
        if (Result<bool> r = BookRefund(db_, poll.order_id, now_ms); !r.ok()) return r.status();
      }
    }
    bool answered =
        poll.kind == PollRecord::Kind::kChanged || poll.kind == PollRecord::Kind::kUnchanged;
    MissesChange misses = answered                                  ? kResetMisses
                          : poll.kind == PollRecord::Kind::kMissing ? kAddMiss
                                                                    : kKeepMisses;
    Result<Statement*> reschedule = db_.PrepareCached(reschedule_, kRescheduleSql);
    if (!reschedule.ok()) return reschedule.status();
    (*reschedule)
        ->Bind(1, poll.order_id)
        .Bind(2, int64_t{answered})
        .Bind(3, int64_t{misses})
        .Bind(4, poll.next_poll_at)
        .Bind(5, int64_t{poll.stale})
        .Bind(6, now_ms);
    if (Status s = (*reschedule)->Run(); !s.ok()) return s;
  }
  return tx.Commit();
}

Result<int64_t> SyncRepository::MarkStale(int64_t placed_before_ms, int64_t now_ms) {
  // Through the partial index: the orders still polled are few next to the
  // millions of old final orders orders_by_placed would walk.
  static const std::string kSql = fmt::format(
      "UPDATE orders INDEXED BY orders_to_sync SET stale_at = ?2, updated_at = ?2"
      " WHERE placed_at < ?1 AND {}",
      kSchedulable);
  Result<Statement> update = db_.Prepare(kSql);
  if (!update.ok()) return update.status();
  update->Bind(1, placed_before_ms).Bind(2, now_ms);
  if (Status s = update->Run(); !s.ok()) return s;
  return int64_t{db_.Changes()};
}

Result<std::optional<int64_t>> SyncRepository::NextPollAt() {
  static const std::string kSql =
      fmt::format("SELECT min(next_poll_at) FROM orders WHERE {}", kSchedulable);
  Result<Statement> row = db_.Prepare(kSql);
  if (!row.ok()) return row.status();
  Result<bool> got = row->Step();
  if (!got.ok()) return got.status();
  if (!*got || row->ColumnIsNull(0)) return std::optional<int64_t>();
  return std::optional<int64_t>(row->ColumnInt(0));
}

Result<SyncCounts> SyncRepository::Counts(int64_t now_ms) {
  Result<Statement> row = db_.Prepare(
      "SELECT"
      " coalesce(sum(status = 'pending' AND stale_at IS NULL AND upstream_id IS NOT NULL), 0),"
      " coalesce(sum(status = 'in_process' AND stale_at IS NULL AND upstream_id IS NOT NULL), 0),"
      " coalesce(sum(stale_at IS NULL AND upstream_id IS NOT NULL AND next_poll_at <= ?1), 0),"
      " coalesce(sum(stale_at IS NOT NULL), 0),"
      " coalesce(sum(status = 'unconfirmed'), 0),"
      " coalesce(sum(status IN ('pending', 'in_process') AND upstream_id IS NULL), 0)"
      " FROM orders WHERE status IN ('pending', 'in_process', 'unconfirmed')");
  if (!row.ok()) return row.status();
  row->Bind(1, now_ms);
  Result<bool> got = row->Step();
  if (!got.ok()) return got.status();
  SyncCounts counts;
  if (!*got) return counts;
  counts.pending = row->ColumnInt(0);
  counts.in_process = row->ColumnInt(1);
  counts.due = row->ColumnInt(2);
  counts.stale = row->ColumnInt(3);
  counts.unconfirmed = row->ColumnInt(4);
  counts.known_from_export = row->ColumnInt(5);
  return counts;
}

}  // namespace imeiflow::store
