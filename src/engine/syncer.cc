#include "engine/syncer.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "engine/outcome_policy.h"

namespace imeiflow::engine {
namespace {

// Orders read from the database at a time.
constexpr int kFetchChunk = 1000;
// When nothing was due: how long before the database is asked again.
constexpr int64_t kRecheckMs = 250;
// How long a Run() step waits for answers.
constexpr int kStepWaitMs = 200;
// How often StartPolls() marks stale orders, and the longest gap between info summaries.
constexpr int64_t kStaleCheckMs = 3'600'000;
constexpr int64_t kSummaryMs = 60'000;

}  // namespace

Syncer::Syncer(store::Database& db, upstream::Provider& provider, const Clock& clock,
               AdaptiveLimiter& limiter, SyncOptions options, SyncMode mode)
    : db_(db),
      provider_(provider),
      clock_(clock),
      limiter_(limiter),
      options_(options),
      mode_(mode),
      schedule_(options.schedule),
      repo_(db, options.refunds_rejected) {
  options_.batch_size = std::max(1, options_.batch_size);
}

Status Syncer::MarkStale() {
  int64_t now = clock_.NowMs();
  Result<int64_t> marked = repo_.MarkStale(schedule_.GiveUpCutoff(now), now);
  if (!marked.ok()) return marked.status();
  if (*marked > 0) {
    stats_.orders_stale += *marked;
    spdlog::warn("sync: {} order(s) still not final after {} days are now stale (no more polls)",
                 *marked, schedule_.options().give_up_after_ms / 86'400'000);
  }
  return Status::Ok();
}

Status Syncer::Refill(size_t wanted) {
  if (queue_.size() >= wanted) return Status::Ok();
  int limit = std::max<int>(kFetchChunk, static_cast<int>(wanted));
  if (mode_ == SyncMode::kEveryOpenOrderOnce) {
    if (source_exhausted_) return Status::Ok();
    Result<std::vector<store::SyncOrder>> rows = repo_.Open(last_open_id_, limit);
    if (!rows.ok()) return rows.status();
    for (store::SyncOrder& o : *rows) {
      last_open_id_ = o.id;
      queue_.push_back(std::move(o));
    }
    source_exhausted_ = static_cast<int>(rows->size()) < limit;
    return Status::Ok();
  }
  int64_t now = clock_.NowMs();
  if (now < next_fetch_at_) return Status::Ok();
  // Due orders before the cursor are queued, in flight, or answered but not
  // yet recorded; with none of those, start over, so that orders rescheduled
  // behind the cursor (by another process) are found too.
  if (queue_.empty() && stats_.in_flight == 0 && judged_.empty()) cursor_.reset();
  Result<std::vector<store::SyncOrder>> rows = repo_.Due(now, cursor_, limit);
  if (!rows.ok()) return rows.status();
  for (store::SyncOrder& o : *rows) {
    cursor_ = store::SyncCursor{o.next_poll_at, o.id};
    queue_.push_back(std::move(o));
  }
  if (static_cast<int>(rows->size()) < limit) next_fetch_at_ = now + kRecheckMs;
  return Status::Ok();
}

std::vector<store::SyncOrder> Syncer::NextBatch() {
  std::vector<store::SyncOrder> batch;
  while (!queue_.empty() && static_cast<int>(batch.size()) < options_.batch_size) {
    if (PollSchedule::Alone(queue_.front().misses)) {
      if (batch.empty()) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      break;
    }
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return batch;
}

Result<int> Syncer::StartPolls(int free_slots) {
  if (int64_t now = clock_.NowMs(); now >= next_stale_check_at_) {
    if (Status s = MarkStale(); !s.ok()) return s;
    next_stale_check_at_ = now + kStaleCheckMs;
  }
  if (free_slots <= 0 || !fatal_.empty()) return 0;
  size_t wanted = static_cast<size_t>(free_slots) * static_cast<size_t>(options_.batch_size);
  if (Status s = Refill(wanted); !s.ok()) return s;
  int started = 0;
  while (started < free_slots && !queue_.empty()) {
    StartCall(NextBatch());
    ++started;
  }
  return started;
}

void Syncer::StartCall(std::vector<store::SyncOrder> orders) {
  std::vector<std::string> ids;
  ids.reserve(orders.size());
  for (const store::SyncOrder& o : orders) ids.push_back(o.upstream_id);
  AdaptiveLimiter::Token token = limiter_.OnStart();
  ++stats_.in_flight;
  stats_.orders_asked += static_cast<int64_t>(orders.size());
  provider_.FetchOrders(std::move(ids), [this, orders = std::move(orders),
                                         token](upstream::OrdersResult result) mutable {
    answers_.push_back({std::move(orders), token, std::move(result)});
  });
}

void Syncer::JudgeAnswers() {
  if (answers_.empty()) return;
  std::vector<Answer> batch;
  batch.swap(answers_);
  int64_t now = clock_.NowMs();
  for (Answer& answer : batch) Judge(answer, now);
  stats_.in_flight -= static_cast<int>(batch.size());
  LogSummary(now, false);
}

void Syncer::Judge(Answer& answer, int64_t now) {
  ++stats_.polls;
  const upstream::CallVerdict& verdict = answer.result.verdict;
  if (IsCongestion(verdict)) {
    ++stats_.congestion;
    limiter_.OnCongestion(answer.token);
  } else {
    limiter_.OnSuccess(answer.token);
  }
  if (verdict.call_class == upstream::CallClass::kFatal && fatal_.empty()) {
    fatal_ =
        fmt::format("the supplier refused the credentials ({}); sync stopped", verdict.message);
    spdlog::error("{}", fatal_);
  }
  if (verdict.call_class != upstream::CallClass::kApplied) {
    ++stats_.failed_polls;
    spdlog::debug("sync: getimeis for {} order(s) failed ({}: {}); asked again later",
                  answer.orders.size(), upstream::CallClassName(verdict.call_class),
                  verdict.message);
    for (const store::SyncOrder& o : answer.orders) {
      judged_.push_back(
          {o.id, store::PollRecord::Kind::kFailed, "", "", schedule_.AfterFailure(now), false});
    }
    return;
  }
  std::unordered_map<std::string_view, const upstream::OrderInfo*> by_id;
  for (const upstream::OrderInfo& info : answer.result.orders) by_id.emplace(info.order_id, &info);
  for (const store::SyncOrder& o : answer.orders) {
    auto found = by_id.find(o.upstream_id);
    JudgeOrder(o, found == by_id.end() ? nullptr : found->second, now);
  }
}

void Syncer::JudgeOrder(const store::SyncOrder& order, const upstream::OrderInfo* info,
                        int64_t now) {
  store::PollRecord record;
  record.order_id = order.id;
  bool too_old = schedule_.GivenUp(order.placed_at, now);
  if (info == nullptr) {
    ++stats_.orders_missing;
    record.kind = store::PollRecord::Kind::kMissing;
    record.next_poll_at = schedule_.AfterMiss(order.placed_at, order.misses + 1, now);
    record.stale = too_old;
    spdlog::debug("sync: order {} (supplier id {}) left out of the answer ({} time(s) in a row)",
                  order.id, order.upstream_id, order.misses + 1);
  } else {
    std::optional<store::OrderStatus> known = StoredOrderStatus(info->status);
    std::string status = known ? std::string(store::OrderStatusName(*known)) : order.status;
    if (!known) {
      ++stats_.unrecognised;
      spdlog::warn("sync: order {} (supplier id {}): unknown status \"{}\"; kept {}", order.id,
                   order.upstream_id, info->status_text, order.status);
    }
    bool changed = status != order.status || (info->code != order.code && !info->code.empty());
    record.kind = changed ? store::PollRecord::Kind::kChanged : store::PollRecord::Kind::kUnchanged;
    record.status = status;
    record.code = changed ? info->code : "";
    record.next_poll_at = schedule_.AfterAnswer(order.placed_at, now);
    record.stale = too_old && !store::IsFinalOrderStatus(status);
    if (changed) {
      ++stats_.orders_changed;
      if (record.status == "completed") ++stats_.orders_completed;
      if (record.status == "rejected") ++stats_.orders_rejected;
      if (record.status == "in_process" && order.status != "in_process") {
        ++stats_.orders_in_process;
      }
      spdlog::debug("sync: order {} (supplier id {}): {} -> {}", order.id, order.upstream_id,
                    order.status, record.status);
    }
  }
  if (record.stale) ++stats_.orders_stale;
  judged_.push_back(std::move(record));
}

Status Syncer::RecordJudged() {
  if (judged_.empty()) return Status::Ok();
  std::vector<store::PollRecord> records;
  records.swap(judged_);
  return repo_.Record(records, clock_.NowMs());
}

Status Syncer::RecordAnswers() {
  JudgeAnswers();
  return RecordJudged();
}

Result<bool> Syncer::Idle() {
  if (stats_.in_flight > 0 || !answers_.empty() || !judged_.empty() || !queue_.empty()) {
    return false;
  }
  if (!fatal_.empty()) return true;
  if (mode_ == SyncMode::kEveryOpenOrderOnce) return source_exhausted_;
  Result<std::optional<int64_t>> next = repo_.NextPollAt();
  if (!next.ok()) return next.status();
  return !next->has_value() || **next > clock_.NowMs();
}

Result<bool> Syncer::Done() {
  if (stats_.in_flight > 0 || !answers_.empty() || !judged_.empty() || !queue_.empty()) {
    return false;
  }
  if (!fatal_.empty()) return true;
  Result<std::optional<int64_t>> next = repo_.NextPollAt();
  if (!next.ok()) return next.status();
  return !next->has_value();
}

Status Syncer::Run(const std::atomic<bool>& stop, SyncUntil until) {
  while (!stop.load()) {
    Result<int> started = StartPolls(limiter_.limit() - stats_.in_flight);
    if (!started.ok()) return started.status();
    provider_.Pump(std::chrono::milliseconds(answers_.empty() ? kStepWaitMs : 0));
    if (Status s = RecordAnswers(); !s.ok()) return s;
    if (!fatal_.empty()) return Status::PermissionDenied(fatal_);
    if (until == SyncUntil::kStopped) continue;
    Result<bool> finished = until == SyncUntil::kIdle ? Idle() : Done();
    if (!finished.ok()) return finished.status();
    if (*finished) break;
  }
  // Polls cost nothing and can be asked again: wait for answers a little,
  // then leave the rest (their orders stay due).
  int64_t deadline = clock_.NowMs() + options_.grace_ms;
  while (stats_.in_flight > 0 && clock_.NowMs() < deadline) {
    provider_.Pump(std::chrono::milliseconds(kStepWaitMs));
    if (Status s = RecordAnswers(); !s.ok()) return s;
  }
  LogSummary(clock_.NowMs(), true);
  return Status::Ok();
}

void Syncer::LogSummary(int64_t now, bool force) {
  if (!force && now < next_summary_at_) return;
  if (stats_.polls == logged_.polls && stats_.orders_stale == logged_.orders_stale) return;
  next_summary_at_ = now + kSummaryMs;
  spdlog::info(
      "sync: {} poll(s) ({} failed), {} order(s) asked: {} completed, {} rejected, {} in process,"
      " {} left out, {} stale",
      stats_.polls - logged_.polls, stats_.failed_polls - logged_.failed_polls,
      stats_.orders_asked - logged_.orders_asked,
      stats_.orders_completed - logged_.orders_completed,
      stats_.orders_rejected - logged_.orders_rejected,
      stats_.orders_in_process - logged_.orders_in_process,
      stats_.orders_missing - logged_.orders_missing, stats_.orders_stale - logged_.orders_stale);
  logged_ = stats_;
}

}  // namespace imeiflow::engine
