#include "cli/dispatch_session.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/supplier.h"
#include "core/clock.h"
#include "store/dispatcher_lock.h"

namespace imeiflow::cli {

Result<engine::DispatchOptions> DispatchOptionsFromConfig(const Config& config) {
  engine::DispatchOptions options;
  options.max_in_flight = config.dispatch.max_in_flight;
  options.initial_in_flight = config.dispatch.initial_in_flight;
  options.policy.retry_budget = config.dispatch.retry_budget;
  options.policy.refuses_duplicates = config.upstream.refuses_duplicates;
  options.grace_ms = int64_t{config.dispatch.grace_s} * 1000;
  if (!config.spending.daily_cap.empty()) {
    Result<Money> cap = Money::Parse(config.spending.daily_cap);
    if (!cap.ok()) {
      return Status::InvalidArgument(fmt::format("spending.daily_cap: {}", cap.status().message()));
    }
    options.daily_cap = *cap;
  }
  return options;
}

namespace {

// The dispatcher's life once the lock is held: connect, recover, run, log.
Status RunDispatcher(const Config& config, store::Database& db, const std::string& db_path,
                     const std::atomic<bool>& stop, bool until_idle,
                     const std::function<bool()>& keep_going, const DispatchObserver& observe) {
  Result<engine::DispatchOptions> options = DispatchOptionsFromConfig(config);
  if (!options.ok()) return options.status();
  Result<std::unique_ptr<SupplierConnection>> supplier = SupplierConnection::Open(config);
  if (!supplier.ok()) return supplier.status();

  SystemClock clock;
  engine::Dispatcher dispatcher(db, (*supplier)->provider(), clock, *options);
  if (Status s = dispatcher.Recover(); !s.ok()) return s;
  spdlog::info("dispatching for {} (in flight up to {}, cap {})", db_path, options->max_in_flight,
               options->daily_cap ? options->daily_cap->ToDisplay() : "none");
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
  return result;
}

}  // namespace

Status RunDispatchSession(const Config& config, store::Database& db, const std::string& db_path,
                          const std::atomic<bool>& stop, bool until_idle,
                          const std::function<bool()>& keep_going) {
  Result<engine::DispatchOptions> options = DispatchOptionsFromConfig(config);
  if (!options.ok()) return options.status();
  Result<std::unique_ptr<store::DispatcherLock>> lock = store::DispatcherLock::Acquire(db_path);
  if (!lock.ok()) return lock.status();
  return RunDispatcher(config, db, db_path, stop, until_idle, keep_going, {});
}

Status RunLockedDispatchSession(const Config& config, store::Database& db,
                                const std::string& db_path, const std::atomic<bool>& stop,
                                const DispatchObserver& observe) {
  return RunDispatcher(config, db, db_path, stop, false, {}, observe);
}

}  // namespace imeiflow::cli
