#include "cli/dispatch_session.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "core/clock.h"
#include "store/dispatcher_lock.h"
#include "upstream/supplier_connection.h"

namespace imeiflow::cli {

Result<engine::DispatchOptions> DispatchOptionsFromConfig(const Config& config) {
  engine::DispatchOptions options;
  options.max_in_flight = config.dispatch.max_in_flight;
  options.initial_in_flight = config.dispatch.initial_in_flight;
  options.policy.retry_budget = config.dispatch.retry_budget;
  options.policy.refuses_duplicates = config.upstream.refuses_duplicates;
  options.grace_ms = int64_t{config.dispatch.grace_s} * 1000;
  options.first_poll_delay_ms = int64_t{config.sync.first_poll_s} * 1000;
  options.refunds_rejected = config.upstream.refunds_rejected;
  Result<std::optional<Money>> cap = config.spending.DailyCap();
  if (!cap.ok()) return cap.status();
  options.daily_cap = *cap;
  return options;
}

engine::SyncOptions SyncOptionsFromConfig(const Config& config) {
  engine::SyncOptions options;
  options.batch_size = config.sync.batch_size;
  options.schedule.first_poll_ms = int64_t{config.sync.first_poll_s} * 1000;
  options.schedule.max_interval_ms = int64_t{config.sync.max_poll_interval_s} * 1000;
  options.schedule.give_up_after_ms = int64_t{config.sync.give_up_after_days} * 86'400'000;
  options.grace_ms = int64_t{config.dispatch.grace_s} * 1000;
  options.refunds_rejected = config.upstream.refunds_rejected;
  return options;
}

std::string SyncStatsText(const engine::SyncStats& stats) {
  return fmt::format(
      "{} poll(s) ({} failed, {} congested), {} order id(s) asked: {} completed, {} rejected,"
      " {} in process, {} left out, {} stale",
      stats.polls, stats.failed_polls, stats.congestion, stats.orders_asked, stats.orders_completed,
      stats.orders_rejected, stats.orders_in_process, stats.orders_missing, stats.orders_stale);
}

namespace {

// The dispatcher's life once the lock is held: connect, recover, run (with a
// syncer when `sync`, refreshing services when asked in `refreshes`), log.
Status RunDispatcher(const Config& config, store::Database& db, const std::string& db_path,
                     const std::atomic<bool>& stop, bool until_idle,
                     const std::function<bool()>& keep_going, bool sync,
                     const DispatchObserver& observe,
                     engine::ServiceRefreshMailbox* refreshes = nullptr) {
  Result<engine::DispatchOptions> options = DispatchOptionsFromConfig(config);
  if (!options.ok()) return options.status();
  Result<std::unique_ptr<upstream::SupplierConnection>> supplier =
      upstream::SupplierConnection::Open(config);
  if (!supplier.ok()) return supplier.status();

  SystemClock clock;
  engine::Dispatcher dispatcher(db, (*supplier)->provider(), clock, *options);
  if (Status s = dispatcher.Recover(); !s.ok()) return s;
  std::optional<engine::Syncer> syncer;
  if (sync) {
    syncer.emplace(db, (*supplier)->provider(), clock, dispatcher.limiter(),
                   SyncOptionsFromConfig(config));
    dispatcher.SetSyncer(&*syncer);
  }
  std::optional<engine::ServiceRefresher> refresher;
  if (refreshes) {
    refresher.emplace(db, (*supplier)->provider(), clock, dispatcher.limiter(), *refreshes);
    dispatcher.SetServiceRefresher(&*refresher);
  }
  spdlog::info("dispatching for {} (in flight up to {}, configured cap {}){}", db_path,
               options->max_in_flight,
               options->daily_cap ? options->daily_cap->ToDisplay() : "none",
               sync ? "; syncing order statuses in the slots submissions leave free" : "");
  auto after_step = [&]() {
    if (observe) observe(dispatcher.stats());
    return !keep_going || keep_going();
  };
  Status result = dispatcher.Run(stop, until_idle, after_step);
  const engine::DispatchStats& stats = dispatcher.stats();
  if (observe) observe(stats);
  spdlog::info(
      "dispatcher stopped: {} calls ({} applied, {} not applied, {} unknown),"
      " peak {} in flight, limit {}",
      stats.calls, stats.applied, stats.not_applied, stats.unknown, stats.peak_in_flight,
      stats.limit);
  if (syncer) spdlog::info("syncer stopped: {}", SyncStatsText(syncer->stats()));
  return result;
}

}  // namespace

Status RunDispatchSession(const Config& config, store::Database& db, const std::string& db_path,
                          const std::atomic<bool>& stop, bool until_idle,
                          const std::function<bool()>& keep_going, bool sync) {
  Result<engine::DispatchOptions> options = DispatchOptionsFromConfig(config);
  if (!options.ok()) return options.status();
  Result<std::unique_ptr<store::DispatcherLock>> lock = store::DispatcherLock::Acquire(db_path);
  if (!lock.ok()) return lock.status();
  return RunDispatcher(config, db, db_path, stop, until_idle, keep_going, sync, {});
}

Status RunLockedDispatchSession(const Config& config, store::Database& db,
                                const std::string& db_path, const std::atomic<bool>& stop,
                                const DispatchObserver& observe,
                                engine::ServiceRefreshMailbox* refreshes) {
  return RunDispatcher(config, db, db_path, stop, false, {}, true, observe, refreshes);
}

}  // namespace imeiflow::cli
