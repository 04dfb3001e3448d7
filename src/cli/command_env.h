// What the commands that touch the database or the supplier share: loading
// the configuration (with logging set up from it) and opening the database
// it names. Not thread-safe; used from main's thread.
#pragma once

#include <memory>
#include <string>

#include "cli/command.h"
#include "core/config.h"
#include "core/status.h"
#include "store/database.h"

namespace imeiflow::cli {

/// Loads the configuration (--config, IMEIFLOW_CONFIG, IMEIFLOW_* variables)
/// and sets up logging from it.
Result<Config> LoadCommandConfig(const GlobalOptions& global);

/// The database file: --db, else IMEIFLOW_DB, else store.path.
std::string DatabasePath(const GlobalOptions& global, const Config& config);

/// Opens (creating and migrating if needed) the database.
Result<std::unique_ptr<store::Database>> OpenDatabase(const GlobalOptions& global,
                                                      const Config& config);

/// Who runs the command, for the audit log: "cli:<login name>", else "cli".
std::string CommandActor();

/// Prints "imeiflow <command>: <message>" to standard error; returns kExitFailure.
int Fail(std::string_view command, const Status& status);

}  // namespace imeiflow::cli
