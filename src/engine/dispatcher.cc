#include "engine/dispatcher.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "engine/service_refresh.h"
#include "engine/syncer.h"
#include "store/job_repository.h"
#include "store/settings_repository.h"

namespace imeiflow::engine {
namespace {

// How long an idle dispatcher waits before looking for new jobs.
constexpr int kIdleWaitMs = 200;

}  // namespace

Dispatcher::Dispatcher(store::Database& db, upstream::Provider& provider, const Clock& clock,
                       DispatchOptions options)
    : db_(db),
      provider_(provider),
      clock_(clock),
      options_(options),
      repo_(db, options.first_poll_delay_ms, options.refunds_rejected),
      limiter_(options.initial_in_flight, options.max_in_flight),
      backoff_(options.backoff_base_ms, options.backoff_max_ms,
               options.seed ? options.seed : static_cast<uint64_t>(clock.NowMs())),
      policy_(options.policy, backoff_) {
  stats_.limit = limiter_.limit();
}

Status Dispatcher::Recover() {
  Result<std::optional<std::string>> mode =
      store::SettingsRepository(db_).Get(store::kOneImeiPerCallSetting);
  if (!mode.ok()) return mode.status();
  stats_.one_imei_per_call = mode->has_value();

  int64_t now = clock_.NowMs();
  Result<int64_t> uncertain = repo_.Recover(now);
  if (!uncertain.ok()) return uncertain.status();
  if (*uncertain > 0) {
    spdlog::warn("recovery: {} item(s) were in flight when imeiflow stopped; now uncertain",
                 *uncertain);
  }
  if (options_.policy.refuses_duplicates) {
    Result<int64_t> requeued = repo_.RequeueUncertain(now);
    if (!requeued.ok()) return requeued.status();
    if (*requeued > 0) {
      spdlog::info(
          "recovery: {} uncertain item(s) queued again; the supplier refuses duplicates,"
          " so a resend tells whether the first call landed",
          *requeued);
    }
  } else if (*uncertain > 0) {
    spdlog::warn(
        "recovery: the supplier may accept duplicates; uncertain items wait for review"
        " (imeiflow review)");
  }
  return Status::Ok();
}

Status Dispatcher::Run(const std::atomic<bool>& stop, bool until_idle,
                       const std::function<bool()>& keep_going) {
  while (!stop.load()) {
    if (Status s = Step(kIdleWaitMs); !s.ok()) return s;
    if (!fatal_.empty()) return Status::PermissionDenied(fatal_);
    if (syncer_ && !syncer_->fatal().empty()) return Status::PermissionDenied(syncer_->fatal());
    if (keep_going && !keep_going()) break;
    if (until_idle) {
      Result<bool> idle = Idle();
      if (!idle.ok()) return idle.status();
      if (*idle) {
        if (capped_) return Status::Unavailable(stats_.paused);
        return Status::Ok();
      }
    }
  }
  // Stop sending; let what is in flight finish within the grace period. What
  // is still in flight after it is recovered as uncertain at the next start.
  int64_t deadline = clock_.NowMs() + options_.grace_ms;
  while (CallsInFlight() > 0 && clock_.NowMs() < deadline) {
    provider_.Pump(std::chrono::milliseconds(kIdleWaitMs));
    if (Status s = ApplyFinished(); !s.ok()) return s;
    JudgePolls();
    if (Status s = RecordPolls(); !s.ok()) return s;
  }
  if (stats_.in_flight > 0) {
    spdlog::warn("stopping with {} call(s) still in flight; they will be recovered as uncertain",
                 stats_.in_flight);
  }
  return Status::Ok();
}

Result<bool> Dispatcher::Idle() {
  if (stats_.in_flight > 0) return false;
  if (syncer_) {
    Result<bool> polls_idle = syncer_->Idle();
    if (!polls_idle.ok() || !*polls_idle) return polls_idle;
  }
  if (capped_) return true;
  Result<int64_t> queued = repo_.QueuedCount();
  if (!queued.ok()) return queued.status();
  return *queued == 0;
}

Status Dispatcher::Step(int max_wait_ms) {
  if (Status s = SendReady(); !s.ok()) return s;
  // Answers that came during the last step's zero-wait pump need no waiting.
  int wait_ms = CallsInFlight() > 0 ? max_wait_ms : std::min(max_wait_ms, kIdleWaitMs);
  bool answered = !finished_.empty() || (syncer_ && syncer_->HasAnswers()) ||
                  (refresher_ && refresher_->HasAnswer());
  provider_.Pump(std::chrono::milliseconds(answered ? 0 : wait_ms));
  // Judging the answers frees their slots; refill them (and put the new calls
  // on the wire: a zero-wait pump) before recording the answers, so that a
  // freed slot waits for one commit, not two. A crash in between leaves those
  // calls in flight in the database: recovered as uncertain, as with a crash
  // just before the answers were recorded.
  int64_t now = clock_.NowMs();
  int in_flight_before = CallsInFlight();
  Result<std::vector<store::FinishedCall>> records = JudgeFinished(now);
  if (!records.ok()) return records.status();
  JudgePolls();
  Status sent = Status::Ok();
  if (CallsInFlight() < in_flight_before) {
    sent = SendReady();
    provider_.Pump(std::chrono::milliseconds(0));
  }
  Status recorded = RecordFinished(*records, now);
  if (recorded.ok()) recorded = RecordPolls();
  return sent.ok() ? recorded : sent;
}

int Dispatcher::CallsInFlight() const {
  return stats_.in_flight + (syncer_ ? syncer_->in_flight() : 0) +
         (refresher_ ? refresher_->in_flight() : 0);
}

void Dispatcher::JudgePolls() {
  if (syncer_) syncer_->JudgeAnswers();
}

Status Dispatcher::RecordPolls() {
  Status s = syncer_ ? syncer_->RecordJudged() : Status::Ok();
  if (s.ok() && refresher_) s = refresher_->RecordAnswer();
  return s;
}

Status Dispatcher::SendReady() {
  int free = limiter_.limit() - CallsInFlight();
  if (free <= 0 || !fatal_.empty()) return Status::Ok();
  // A person waits for a service refresh: it takes the first free slot.
  if (refresher_ && (free -= refresher_->StartCalls(free)) <= 0) return Status::Ok();
  store::ClaimLimits limits;
  limits.max_calls = free;
  limits.one_imei_per_call = stats_.one_imei_per_call;
  limits.daily_cap = options_.daily_cap;
  limits.now_ms = clock_.NowMs();
  Result<store::ClaimResult> claim = repo_.Claim(limits);
  if (!claim.ok()) return claim.status();

  // The cap in force may change between claims (the settings page).
  std::string paused = claim->capped && claim->cap
                           ? fmt::format("daily spending cap of {} reached; dispatch paused",
                                         claim->cap->ToDisplay())
                           : "";
  if (paused != stats_.paused) {
    capped_ = claim->capped;
    stats_.paused = std::move(paused);
    if (capped_) spdlog::warn("{}", stats_.paused);
  }
  for (store::CallIntent& intent : claim->calls) {
    int64_t job = intent.items.front().job_id;  // a call never mixes jobs
    if (started_jobs_.insert(job).second) spdlog::info("job {}: dispatch started", job);
    upstream::PlaceOrderRequest request;
    request.service_id = intent.service_id;
    for (const store::CallItem& item : intent.items) request.imeis.push_back(item.imei);
    AdaptiveLimiter::Token token = limiter_.OnStart();
    ++stats_.in_flight;
    stats_.peak_in_flight = std::max(stats_.peak_in_flight, stats_.in_flight);
    int64_t sent_at = clock_.NowMs();
    provider_.PlaceOrder(std::move(request), [this, intent = std::move(intent), token,
                                              sent_at](upstream::PlaceOrderResult r) {
      finished_.push_back({intent, token, clock_.NowMs() - sent_at, std::move(r)});
    });
  }
  // Submissions first: the slots no ready item could take go to status polls.
  int left = free - static_cast<int>(claim->calls.size());
  if (syncer_ && left > 0) {
    Result<int> polls = syncer_->StartPolls(left);
    if (!polls.ok()) return polls.status();
  }
  return Status::Ok();
}

Status Dispatcher::ApplyFinished() {
  int64_t now = clock_.NowMs();
  Result<std::vector<store::FinishedCall>> records = JudgeFinished(now);
  if (!records.ok()) return records.status();
  return RecordFinished(*records, now);
}

Result<std::vector<store::FinishedCall>> Dispatcher::JudgeFinished(int64_t now) {
  std::vector<store::FinishedCall> records;
  if (finished_.empty()) return records;
  std::vector<Finished> batch;
  batch.swap(finished_);
  records.reserve(batch.size());
  for (Finished& f : batch) {
    touched_jobs_.insert(f.intent.items.front().job_id);
    PolicyVerdict verdict = policy_.Judge(f.intent, f.result, f.latency_ms, now);
    const upstream::CallVerdict& call = f.result.verdict;
    if (IsCongestion(call)) {
      ++stats_.congestion;
      limiter_.OnCongestion(f.limiter_token);
    } else {
      limiter_.OnSuccess(f.limiter_token);
    }
    switch (call.call_class) {
      case upstream::CallClass::kApplied:
        ++stats_.applied;
        break;
      case upstream::CallClass::kNotApplied:
        ++stats_.not_applied;
        break;
      case upstream::CallClass::kUnknown:
        ++stats_.unknown;
        break;
      case upstream::CallClass::kFatal:
        break;
    }
    if (verdict.fatal && fatal_.empty()) {
      fatal_ = fmt::format("the supplier refused {} ({}); dispatch stopped",
                           verdict.out_of_credit ? "for lack of credit" : "the credentials",
                           call.message);
      spdlog::error("{}", fatal_);
    }
    if (verdict.supplier_dropped_imeis) {
      if (Status s = SwitchToOneImeiPerCall(f.intent); !s.ok()) return s;
    }
    spdlog::info("call {}: {} IMEI(s), {}, {} ms, in-flight limit {}{}", f.intent.call_id,
                 f.intent.items.size(), verdict.finished.outcome, f.latency_ms, limiter_.limit(),
                 call.message.empty() ? "" : ": " + call.message);
    records.push_back(std::move(verdict.finished));
  }
  stats_.calls += static_cast<int64_t>(batch.size());
  stats_.in_flight -= static_cast<int>(batch.size());
  stats_.limit = limiter_.limit();
  return records;
}

Status Dispatcher::RecordFinished(const std::vector<store::FinishedCall>& records, int64_t now) {
  if (records.empty()) return Status::Ok();
  if (Status s = repo_.Finish(records, now); !s.ok()) return s;
  return LogFinishedJobs();
}

Status Dispatcher::LogFinishedJobs() {
  store::JobRepository jobs(db_);
  for (int64_t id : touched_jobs_) {
    Result<bool> active = jobs.HasActiveItems(id);
    if (!active.ok()) return active.status();
    if (*active || started_jobs_.erase(id) == 0) continue;
    Result<store::JobSummary> job = jobs.Get(id);
    if (!job.ok()) return job.status();
    spdlog::info("job {}: nothing left to send: {}", id, job->CountsText());
  }
  touched_jobs_.clear();
  return Status::Ok();
}

Status Dispatcher::SwitchToOneImeiPerCall(const store::CallIntent& intent) {
  if (stats_.one_imei_per_call) return Status::Ok();
  stats_.one_imei_per_call = true;
  std::string why = fmt::format(
      "call {} sent {} IMEIs and the answer left some out; sending one IMEI per call from now on",
      intent.call_id, intent.items.size());
  spdlog::warn("supplier drops IMEIs from batches: {}", why);
  return store::SettingsRepository(db_).Set(store::kOneImeiPerCallSetting, why);
}

}  // namespace imeiflow::engine
