// `imeiflow sync [--once | --until-done] [--json]`: the syncer alone, polling
// the supplier for the results of pending and in-process orders.
// - no flag: as orders fall due (sync.first_poll_s, then by age) until
//   SIGINT/SIGTERM;
// - --until-done: the same, exiting once no order is left to poll (every one
//   final, or stale);
// - --once: asks once about every pending or in-process order, stale ones
//   included, whatever the schedule, and exits.
// It then prints what it did and what is left (--json: one object).
// One process talks to the supplier per database: sync takes the dispatcher
// lock, so it refuses to run beside `work` (which syncs statuses itself).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/dispatch_session.h"
#include "cli/output.h"
#include "cli/stop_signal.h"
#include "core/clock.h"
#include "engine/limiter.h"
#include "engine/syncer.h"
#include "store/dispatcher_lock.h"
#include "store/sync_repository.h"
#include "upstream/supplier_connection.h"

namespace imeiflow::cli {
namespace {

struct SyncFlags {
  bool once = false;
  bool until_done = false;
  bool json = false;
};

void PrintReport(const engine::SyncStats& stats, const store::SyncCounts& left, bool json) {
  if (json) {
    nlohmann::json out = {{"polls", stats.polls},
                          {"failed_polls", stats.failed_polls},
                          {"congestion", stats.congestion},
                          {"orders_asked", stats.orders_asked},
                          {"orders_changed", stats.orders_changed},
                          {"orders_in_process", stats.orders_in_process},
                          {"orders_completed", stats.orders_completed},
                          {"orders_rejected", stats.orders_rejected},
                          {"orders_missing", stats.orders_missing},
                          {"orders_stale", stats.orders_stale},
                          {"left",
                           {{"pending", left.pending},
                            {"in_process", left.in_process},
                            {"due", left.due},
                            {"stale", left.stale},
                            {"unconfirmed", left.unconfirmed},
                            {"known_from_export", left.known_from_export}}}};
    fmt::print("{}\n", JsonText(out));
    return;
  }
  fmt::print("{}\n", SyncStatsText(stats));
  fmt::print(
      "left: {} pending, {} in process ({} due now), {} stale, {} unconfirmed; {} known from the"
      " supplier's export (no status polling)\n",
      left.pending, left.in_process, left.due, left.stale, left.unconfirmed,
      left.known_from_export);
}

int RunSync(const GlobalOptions& global, const SyncFlags& flags) {
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("sync", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("sync", db.status());
  std::string db_path = DatabasePath(global, *config);
  Result<std::unique_ptr<store::DispatcherLock>> lock = store::DispatcherLock::Acquire(db_path);
  if (!lock.ok()) {
    if (lock.status().code() != StatusCode::kUnavailable) return Fail("sync", lock.status());
    return Fail("sync", Status::Unavailable(fmt::format(
                            "{} (one process talks to the supplier per database, and `work` "
                            "syncs statuses itself: let it, or stop it first)",
                            lock.status().message())));
  }
  Result<std::unique_ptr<upstream::SupplierConnection>> supplier =
      upstream::SupplierConnection::Open(*config);
  if (!supplier.ok()) return Fail("sync", supplier.status());

  const std::atomic<bool>& stop = InstallStopSignalHandlers();
  SystemClock clock;
  engine::AdaptiveLimiter limiter(config->dispatch.initial_in_flight,
                                  config->dispatch.max_in_flight);
  engine::SyncMode mode =
      flags.once ? engine::SyncMode::kEveryOpenOrderOnce : engine::SyncMode::kSchedule;
  engine::Syncer syncer(**db, (*supplier)->provider(), clock, limiter,
                        SyncOptionsFromConfig(*config), mode);
  engine::SyncUntil until = flags.once         ? engine::SyncUntil::kIdle
                            : flags.until_done ? engine::SyncUntil::kFinal
                                               : engine::SyncUntil::kStopped;
  spdlog::info("syncing order statuses for {}{}", db_path,
               flags.once ? " (every open order once)" : "");
  Status run = syncer.Run(stop, until);
  Result<store::SyncCounts> left = store::SyncRepository(**db).Counts(clock.NowMs());
  if (!left.ok()) return Fail("sync", left.status());
  PrintReport(syncer.stats(), *left, flags.json);
  if (!run.ok()) return Fail("sync", run);
  return kExitOk;
}

}  // namespace

void AddSyncCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto flags = std::make_shared<SyncFlags>();
  CLI::App* cmd = app.add_subcommand("sync", "Poll the supplier for the results of open orders");
  CLI::Option* once =
      cmd->add_flag("--once", flags->once, "ask once about every open order, then exit");
  cmd->add_flag("--until-done", flags->until_done,
                "exit when no order is left to poll (all final or stale)")
      ->excludes(once);
  cmd->add_flag("--json", flags->json, "print the report as one JSON object");
  cmd->callback([&global, &outcome, flags]() { outcome.exit_code = RunSync(global, *flags); });
}

}  // namespace imeiflow::cli
