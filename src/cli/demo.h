// Demo: what `imeiflow serve --demo` sets up before it serves: imeiflow-sim as
// a child process on a free loopback port (realistic latency and a limit of
// concurrent calls; results a few seconds after ordering), a fresh database
// in the demo folder, [upstream] pointing at the simulator and a quick status
// sync (through IMEIFLOW_* variables, so they win over any config file), a
// cached service list, and a demo admin with a random password.
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

/// A running demo supplier and the demo's login.
struct Demo {
  std::unique_ptr<sim::SimProcess> supplier;  ///< stopped when the Demo is destroyed
  std::string folder;                         ///< holds the database and the supplier's ledger
  std::string user = "demo";                  ///< the demo admin
  std::string password;                       ///< random, printed once at start
};

/// Creates `folder` (emptying the database of an earlier demo), starts the
/// simulated supplier and points the configuration to be loaded next at it
/// and at the demo database.
Result<Demo> StartDemo(const std::string& folder);

/// Once the demo database `db` exists: fills the service cache from the
/// simulator and adds the demo admin.
Status PrepareDemoDatabase(const Demo& demo, const Config& config, store::Database& db);

}  // namespace imeiflow::cli
