// Demo: what `imeiflow serve --demo` sets up before it serves: imeiflow-sim as
// a child process on a free loopback port (realistic latency and a limit of
// concurrent calls; results a few seconds after ordering), a fresh database
// in the demo folder (or, with --keep, the one of the last demo), [upstream]
// pointing at the simulator, a quick status sync and the demo's daily cap
// (through IMEIFLOW_* variables, so they win over any config file), a cached
// service list, and a demo admin with a random password, new at every start
// (with --keep the admin's password is reset and printed; jobs, orders and
// other users stay).
// Not thread-safe: StartDemo sets environment variables, so call it before
// any other thread starts.
#pragma once

#include <memory>
#include <string>

#include "core/config.h"
#include "core/status.h"
#include "sim/sim_process.h"
#include "store/database.h"

namespace imeiflow::cli {

/// The demo's daily cap unless --demo-cap says otherwise: a 20,000-IMEI day of
/// $0.08 checks ($1,600.00) fits.
inline constexpr const char* kDefaultDemoCap = "2000.00";

/// How the demo is asked to run.
struct DemoOptions {
  std::string folder = "imeiflow-demo";     ///< --demo-dir: database and supplier ledger
  std::string daily_cap = kDefaultDemoCap;  ///< --demo-cap: spending.daily_cap of the demo
  bool keep = false;                        ///< --keep: reuse the demo database
};

/// A running demo supplier and the demo's login.
struct Demo {
  std::unique_ptr<sim::SimProcess> supplier;  ///< stopped when the Demo is destroyed
  std::string folder;                         ///< holds the database and the supplier's ledger
  std::string user = "demo";                  ///< the demo admin
  std::string password;                       ///< random, printed once at start
  bool kept = false;                          ///< the database of an earlier demo is reused
};

/// Creates the demo folder (emptying the database of an earlier demo unless
/// `keep`), starts the simulated supplier and points the configuration to be
/// loaded next at it, at the demo database and at the demo's daily cap. A
/// bad --demo-cap is an error naming it.
Result<Demo> StartDemo(const DemoOptions& options);

/// Once the demo database `db` exists: fills the service cache from the
/// simulator and adds the demo admin (or, kept, sets its new password).
Status PrepareDemoDatabase(const Demo& demo, const Config& config, store::Database& db);

}  // namespace imeiflow::cli
