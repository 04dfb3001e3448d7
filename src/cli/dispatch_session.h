// RunDispatchSession: the dispatcher in the foreground, as `work` and
// `submit --wait` run it: take the database's dispatcher lock, recover what
// a previous process left, connect to the supplier, and send until told to
// stop; `work` also polls order statuses with the slots submissions leave
// free (engine::Syncer). Not thread-safe; runs on main's thread.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "core/config.h"
#include "core/status.h"
#include "engine/dispatcher.h"
#include "engine/service_refresh.h"
#include "engine/syncer.h"
#include "store/database.h"

namespace imeiflow::cli {

/// The dispatcher's settings from [dispatch], [spending] and [upstream].
Result<engine::DispatchOptions> DispatchOptionsFromConfig(const Config& config);

/// The syncer's settings from [sync] (and dispatch.grace_s).
engine::SyncOptions SyncOptionsFromConfig(const Config& config);

/// Runs a dispatcher on `db` (the file `db_path`) until `stop`, until idle
/// (`until_idle`), or until `keep_going` returns false; with `sync`, a Syncer
/// polls order statuses in the slots submissions leave free, and idle also
/// means that no poll is due. Fails with Unavailable when another process
/// holds the dispatcher lock.
Status RunDispatchSession(const Config& config, store::Database& db, const std::string& db_path,
                          const std::atomic<bool>& stop, bool until_idle,
                          const std::function<bool()>& keep_going, bool sync = false);

/// One line for logs and `sync`: the syncer's counters.
std::string SyncStatsText(const engine::SyncStats& stats);

/// Sees the dispatcher's counters after each step (on the dispatcher's thread).
using DispatchObserver = std::function<void(const engine::DispatchStats&)>;

/// RunDispatchSession for a caller that already holds the database's
/// DispatcherLock (serve, which retries while another process holds it):
/// with a syncer, never stopping when idle; `observe` (if given) sees the
/// dispatcher's counters; with `refreshes`, it also performs the service
/// refreshes asked for there (engine::ServiceRefresher).
Status RunLockedDispatchSession(const Config& config, store::Database& db,
                                const std::string& db_path, const std::atomic<bool>& stop,
                                const DispatchObserver& observe,
                                engine::ServiceRefreshMailbox* refreshes = nullptr);

}  // namespace imeiflow::cli
