#include "store/job_repository.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/audit_log.h"
#include "store/duplicate_guard.h"

namespace imeiflow::store {
namespace {

constexpr const char* kJobColumns =
    "id, service_id, price_cents, batch_size, recheck, source, created_by, created_at,"
    " cancelled_at";

}  // namespace

int64_t JobSummary::Active() const {
  auto count = [&](ItemState s) {
    auto it = counts.find(s);
    return it == counts.end() ? int64_t{0} : it->second;
  };
  return count(ItemState::kQueued) + count(ItemState::kInFlight);
}

std::string JobSummary::CountsText() const {
  std::string text;
  for (const auto& [state, n] : counts) {
    if (n > 0) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", ItemStateName(state), n);
  }
  return text.empty() ? "no items" : text;
}

Result<bool> JobRepository::HasActiveItems(int64_t id) {
  Result<Statement> row = db_.Prepare(
      "SELECT 1 FROM items WHERE job_id = ?1 AND state IN ('queued', 'in_flight') LIMIT 1");
  if (!row.ok()) return row.status();
  row->Bind(1, id);
  return row->Step();
}

Result<int64_t> JobRepository::Create(const NewJob& job, const std::vector<NewItem>& items,
                                      int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<Statement> insert_job = db_.Prepare(
      "INSERT INTO jobs(service_id, price_cents, batch_size, recheck, source, created_by,"
      " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!insert_job.ok()) return insert_job.status();
  insert_job->Bind(1, job.service_id)
      .Bind(2, job.price.cents())
      .Bind(3, int64_t{job.batch_size})
      .Bind(4, int64_t{job.recheck})
      .Bind(5, job.source)
      .Bind(6, job.created_by)
      .Bind(7, now_ms);
  if (Status s = insert_job->Run(); !s.ok()) return s;
  int64_t job_id = db_.LastInsertId();

  Result<Statement> insert_item = db_.Prepare(
      "INSERT INTO items(job_id, line, input, imei, state, reason, order_id, updated_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert_item.ok()) return insert_item.status();
  Result<DuplicateGuard> guard = DuplicateGuard::Prepare(db_);
  if (!guard.ok()) return guard.status();
  for (const NewItem& item : items) {
    GuardVerdict verdict;
    if (!item.valid) {
      verdict.state = ItemState::kInvalid;
      verdict.reason = item.reason;
    } else {
      Result<GuardVerdict> v =
          guard->Check(item.imei, job.service_id, job.recheck, job.skip_rejected);
      if (!v.ok()) return v.status();
      verdict = std::move(*v);
    }
    insert_item->Reset();
    insert_item->Bind(1, job_id)
        .Bind(2, int64_t{item.line})
        .Bind(3, item.input)
        .Bind(4, item.imei)
        .Bind(5, ItemStateName(verdict.state))
        .Bind(6, verdict.reason)
        .Bind(7, verdict.order_id)
        .Bind(8, now_ms);
    if (Status s = insert_item->Run(); !s.ok()) return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return job_id;
}

Result<JobSummary> JobRepository::Summarise(Statement& row) {
  JobSummary job;
  job.id = row.ColumnInt(0);
  job.spec.service_id = row.ColumnText(1);
  job.spec.price = Money::FromCents(row.ColumnInt(2));
  job.spec.batch_size = static_cast<int>(row.ColumnInt(3));
  job.spec.recheck = row.ColumnInt(4) != 0;
  job.spec.source = row.ColumnText(5);
  job.spec.created_by = row.ColumnText(6);
  job.created_at = row.ColumnInt(7);
  if (!row.ColumnIsNull(8)) job.cancelled_at = row.ColumnInt(8);
  for (ItemState s : kAllItemStates) job.counts[s] = 0;

  Result<Statement> counts = db_.Prepare(
      "SELECT state, count(*), max(updated_at) FROM items WHERE job_id = ?1 GROUP BY state");
  if (!counts.ok()) return counts.status();
  counts->Bind(1, job.id);
  for (;;) {
    Result<bool> more = counts->Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    std::optional<ItemState> state = ParseItemState(counts->ColumnText(0));
    if (!state) return Status::Corrupt("database: unknown item state " + counts->ColumnText(0));
    job.counts[*state] = counts->ColumnInt(1);
    job.last_change_at = std::max(job.last_change_at, counts->ColumnInt(2));
    job.total += counts->ColumnInt(1);
  }
  return job;
}

Result<JobSummary> JobRepository::Get(int64_t id) {
  Result<Statement> row =
      db_.Prepare(fmt::format("SELECT {} FROM jobs WHERE id = ?1", kJobColumns));
  if (!row.ok()) return row.status();
  row->Bind(1, id);
  Result<bool> found = row->Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound(fmt::format("no job {}", id));
  return Summarise(*row);
}

Result<std::vector<JobSummary>> JobRepository::List(int limit) {
  Result<Statement> rows =
      db_.Prepare(fmt::format("SELECT {} FROM jobs ORDER BY id DESC LIMIT ?1", kJobColumns));
  if (!rows.ok()) return rows.status();
  rows->Bind(1, int64_t{limit});
  std::vector<JobSummary> jobs;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    Result<JobSummary> job = Summarise(*rows);
    if (!job.ok()) return job.status();
    jobs.push_back(std::move(*job));
  }
  return jobs;
}

Result<std::vector<JobSummary>> JobRepository::ListPage(int64_t offset, int64_t limit) {
  // Ids first, then each job's summary: a summary reads the job's counts.
  Result<Statement> ids = db_.Prepare("SELECT id FROM jobs ORDER BY id DESC LIMIT ?1 OFFSET ?2");
  if (!ids.ok()) return ids.status();
  ids->Bind(1, limit).Bind(2, offset);
  std::vector<JobSummary> page;
  for (;;) {
    Result<bool> more = ids->Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    Result<JobSummary> job = Get(ids->ColumnInt(0));
    if (!job.ok()) return job.status();
    page.push_back(std::move(*job));
  }
  return page;
}

Result<int64_t> JobRepository::Count() {
  Result<Statement> count = db_.Prepare("SELECT count(*) FROM jobs");
  if (!count.ok()) return count.status();
  if (Result<bool> row = count->Step(); !row.ok()) return row.status();
  return count->ColumnInt(0);
}

namespace {

// The WHERE clause of a JobListFilter: ?1 since, ?2 until (NULL: open).
constexpr const char* kJobRangeSql =
    "(?1 IS NULL OR created_at >= ?1) AND (?2 IS NULL OR created_at < ?2)";

void BindRange(Statement& stmt, const JobListFilter& filter) {
  stmt.Bind(1, filter.since_ms).Bind(2, filter.until_ms);
}

}  // namespace

Result<std::vector<JobSummary>> JobRepository::Find(const JobListFilter& filter) {
  Result<Statement> ids = db_.Prepare(fmt::format(
      "SELECT id FROM jobs WHERE {} ORDER BY id DESC LIMIT ?3 OFFSET ?4", kJobRangeSql));
  if (!ids.ok()) return ids.status();
  BindRange(*ids, filter);
  ids->Bind(3, filter.limit).Bind(4, filter.offset);
  std::vector<int64_t> found;
  for (;;) {
    Result<bool> more = ids->Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    found.push_back(ids->ColumnInt(0));
  }
  std::vector<JobSummary> jobs;
  for (int64_t id : found) {
    Result<JobSummary> job = Get(id);
    if (!job.ok()) return job.status();
    jobs.push_back(std::move(*job));
  }
  return jobs;
}

Result<int64_t> JobRepository::CountFound(const JobListFilter& filter) {
  Result<Statement> count =
      db_.Prepare(fmt::format("SELECT count(*) FROM jobs WHERE {}", kJobRangeSql));
  if (!count.ok()) return count.status();
  BindRange(*count, filter);
  if (Result<bool> row = count->Step(); !row.ok()) return row.status();
  return count->ColumnInt(0);
}

Result<std::vector<ItemRecord>> JobRepository::Items(int64_t id, int64_t offset, int64_t limit) {
  Result<Statement> rows = db_.Prepare(
      "SELECT id, job_id, line, input, imei, state, reason, attempts, order_id FROM items"
      " WHERE job_id = ?1 ORDER BY line, id LIMIT ?2 OFFSET ?3");
  if (!rows.ok()) return rows.status();
  rows->Bind(1, id).Bind(2, limit).Bind(3, offset);
  std::vector<ItemRecord> items;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    ItemRecord item;
    item.id = rows->ColumnInt(0);
    item.job_id = rows->ColumnInt(1);
    item.line = static_cast<int>(rows->ColumnInt(2));
    item.input = rows->ColumnText(3);
    item.imei = rows->ColumnText(4);
    std::optional<ItemState> state = ParseItemState(rows->ColumnText(5));
    if (!state) return Status::Corrupt("database: unknown item state " + rows->ColumnText(5));
    item.state = *state;
    item.reason = rows->ColumnText(6);
    item.attempts = static_cast<int>(rows->ColumnInt(7));
    if (!rows->ColumnIsNull(8)) item.order_id = rows->ColumnInt(8);
    items.push_back(std::move(item));
  }
  return items;
}

std::string CancelResult::Text() const {
  std::string text = fmt::format("{} queued IMEIs cancelled", cancelled);
  if (Kept() == 0) return text;
  std::vector<std::string> why;
  if (kept_resending > 0) {
    why.push_back(fmt::format("{} {} being resent to learn whether an earlier call was charged",
                              kept_resending, kept_resending == 1 ? "is" : "are"));
  }
  if (kept_in_flight > 0) {
    why.push_back(
        fmt::format("{} {} in flight", kept_in_flight, kept_in_flight == 1 ? "is" : "are"));
  }
  if (in_review > 0) {
    why.push_back(fmt::format("{} {} review", in_review, in_review == 1 ? "needs" : "need"));
  }
  return fmt::format("{}; {} could not be cancelled: {}", text, Kept(), fmt::join(why, ", "));
}

nlohmann::json CancelResultJson(int64_t job_id, const CancelResult& result) {
  return {{"id", job_id},
          {"cancelled", result.cancelled},
          {"kept_resending", result.kept_resending},
          {"kept_in_flight", result.kept_in_flight},
          {"in_review", result.in_review}};
}

Result<CancelResult> JobRepository::Cancel(int64_t id, const std::string& actor, int64_t now_ms) {
  if (Result<JobSummary> job = Get(id); !job.ok()) return job.status();
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<Statement> mark =
      db_.Prepare("UPDATE jobs SET cancelled_at = coalesce(cancelled_at, ?2) WHERE id = ?1");
  Result<Statement> kept = db_.Prepare(
      "SELECT coalesce(sum(state = 'queued'), 0), coalesce(sum(state = 'in_flight'), 0),"
      " coalesce(sum(state = 'uncertain'), 0) FROM items"
      " WHERE job_id = ?1 AND state IN ('queued', 'in_flight', 'uncertain')");
  for (const auto* r : {&mark, &kept}) {
    if (!r->ok()) return r->status();
  }
  CancelResult result;
  ItemChange change;
  change.reason = "job cancelled";
  Result<int64_t> cancelled =
      ItemTransitions(db_).MoveAll(id, ItemState::kQueued, ItemState::kCancelled, change, now_ms);
  if (!cancelled.ok()) return cancelled.status();
  result.cancelled = *cancelled;
  if (Status s = mark->Bind(1, id).Bind(2, now_ms).Run(); !s.ok()) return s;
  kept->Bind(1, id);
  if (Result<bool> r = kept->Step(); !r.ok()) return r.status();
  result.kept_resending = kept->ColumnInt(0);  // only after_uncertain ones are left queued
  result.kept_in_flight = kept->ColumnInt(1);
  result.in_review = kept->ColumnInt(2);
  kept->Reset();
  if (Status s = AuditLog(db_).Append(now_ms, actor, "job.cancel",
                                      fmt::format("Job {}: {}", id, result.Text()));
      !s.ok()) {
    return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return result;
}

Result<int64_t> JobRepository::RetryFailed(int64_t id, const std::string& actor, int64_t now_ms) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<JobSummary> job = Get(id);
  if (!job.ok()) return job.status();
  // A cancelled job keeps only items that may be charged; retrying would
  // order what the person cancelled.
  if (job->cancelled_at) {
    return Status::InvalidArgument(
        fmt::format("job {} is cancelled: its items are not retried", id));
  }
  ItemChange fresh_budget;
  fresh_budget.reason = "";
  fresh_budget.attempts = 0;
  fresh_budget.not_before = 0;
  Result<int64_t> queued = ItemTransitions(db_).MoveAll(id, ItemState::kFailed, ItemState::kQueued,
                                                        fresh_budget, now_ms);
  if (!queued.ok()) return queued.status();
  if (Status s =
          AuditLog(db_).Append(now_ms, actor, "job.retry",
                               fmt::format("Job {}: {} failed IMEIs queued again", id, *queued));
      !s.ok()) {
    return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return queued;
}

}  // namespace imeiflow::store
