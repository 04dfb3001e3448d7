#include "engine/service_refresh.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "engine/outcome_policy.h"
#include "engine/service_cache.h"
#include "store/service_repository.h"

namespace imeiflow::engine {

bool ServiceRefreshMailbox::Request(const std::string& user, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (state_.pending) return false;
  state_.pending = true;
  state_.in_flight = false;
  state_.requested_at_ms = now_ms;
  state_.requested_by = user;
  return true;
}

ServiceRefreshState ServiceRefreshMailbox::State() const {
  std::lock_guard lock(mu_);
  return state_;
}

std::optional<std::string> ServiceRefreshMailbox::Take() {
  std::lock_guard lock(mu_);
  if (!state_.pending || state_.in_flight) return std::nullopt;
  state_.in_flight = true;
  return state_.requested_by;
}

void ServiceRefreshMailbox::Finish(int64_t now_ms, size_t stored, size_t left_out,
                                   const std::string& error) {
  std::lock_guard lock(mu_);
  state_.pending = false;
  state_.in_flight = false;
  state_.finished_at_ms = now_ms;
  state_.stored = stored;
  state_.left_out = left_out;
  state_.error = error;
}

ServiceRefresher::ServiceRefresher(store::Database& db, upstream::Provider& provider,
                                   const Clock& clock, AdaptiveLimiter& limiter,
                                   ServiceRefreshMailbox& mailbox)
    : db_(db), provider_(provider), clock_(clock), limiter_(limiter), mailbox_(mailbox) {}

ServiceRefresher::~ServiceRefresher() {
  if (in_flight_) {
    mailbox_.Finish(clock_.NowMs(), 0, 0,
                    "the dispatcher stopped before the supplier answered; ask again");
  }
}

int ServiceRefresher::StartCalls(int free_slots) {
  if (free_slots <= 0 || in_flight_) return 0;
  std::optional<std::string> asker = mailbox_.Take();
  if (!asker) return 0;
  requested_by_ = std::move(*asker);
  in_flight_ = true;
  AdaptiveLimiter::Token token = limiter_.OnStart();
  provider_.ListServices([this, token](upstream::ServicesResult result) {
    answer_ = Answer{token, std::move(result)};
  });
  return 1;
}

Status ServiceRefresher::RecordAnswer() {
  if (!answer_) return Status::Ok();
  Answer answer = std::move(*answer_);
  answer_.reset();
  in_flight_ = false;
  const upstream::CallVerdict& verdict = answer.result.verdict;
  if (IsCongestion(verdict)) {
    limiter_.OnCongestion(answer.token);
  } else {
    limiter_.OnSuccess(answer.token);
  }
  int64_t now = clock_.NowMs();
  if (verdict.call_class != upstream::CallClass::kApplied) {
    std::string error = "cannot list the supplier's services: " + verdict.message;
    spdlog::warn("services refresh asked by {}: {}", requested_by_, error);
    mailbox_.Finish(now, 0, 0, error);
    return Status::Ok();
  }
  return Store(answer.result, now);
}

Status ServiceRefresher::Store(const upstream::ServicesResult& result, int64_t now) {
  std::vector<std::string> warnings;
  std::vector<store::CachedService> services = CachedServicesOf(result.services, &warnings);
  std::string detail = fmt::format("Services refreshed: {} cached", services.size());
  if (!warnings.empty()) {
    detail += fmt::format(", {} left out (price not a number)", warnings.size());
  }
  Status stored = store::ServiceRepository(db_).ReplaceAll(
      services, now, store::ServicesAudit{requested_by_, detail});
  if (!stored.ok()) {
    mailbox_.Finish(now, 0, 0, "the services could not be stored: " + stored.message());
    return stored;
  }
  mailbox_.Finish(now, services.size(), warnings.size(), "");
  spdlog::info("{} (asked by {})", detail, requested_by_);
  return Status::Ok();
}

}  // namespace imeiflow::engine
