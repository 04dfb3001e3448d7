// The shape every `imeiflow` subcommand shares: one file per subcommand
// registers itself on the CLI11 app; main.cc lists the registrations.
// Not thread-safe; used only from main's thread.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace imeiflow::cli {

/// Exit statuses of every subcommand (design: 0 ok, 1 failure, 2 usage).
enum ExitCode { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };

/// Options that every subcommand sees.
struct GlobalOptions {
  std::string config_path;  ///< --config; empty: IMEIFLOW_CONFIG or defaults
  std::string db_path;      ///< --db; empty: IMEIFLOW_DB or store.path
};

/// Where a subcommand's callback records how the process should exit.
struct CommandOutcome {
  int exit_code = kExitOk;  ///< set by the subcommand that ran
};

/// `imeiflow check FILE|-` (check.cc).
void AddCheckCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow services [--json]` (services.cc).
void AddServicesCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow doctor [--json]` (doctor.cc).
void AddDoctorCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow submit --service ID [--batch-size N] [--recheck] [--skip-rejected] [--dry-run]
/// [--yes] [--wait [--until-results]] [--json] FILE|-` (submit.cc).
void AddSubmitCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow work [--until-idle]` (work.cc).
void AddWorkCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow jobs`, `job ID`, `cancel ID`, `retry ID` (jobs.cc).
void AddJobCommands(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow review [--json]` and `review resolve` (review.cc).
void AddReviewCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow orders [filters] [--json]` (orders.cc).
void AddOrdersCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow sync [--once | --until-done] [--json]` (sync.cc).
void AddSyncCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
/// `imeiflow export [--format csv|xlsx] [filters] [-o FILE]` (export.cc).
void AddExportCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow import FILE [--json]` (import.cc).
void AddImportCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow reconcile FILE [--json]` (reconcile.cc).
void AddReconcileCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);
/// `imeiflow token create|list|revoke` (token.cc).
void AddTokenCommands(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow serve [--listen HOST:PORT]` (serve.cc).
void AddServeCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow backup FILE` and `restore FILE [--yes]` (backup.cc).
void AddBackupCommands(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

/// `imeiflow user add|list|passwd` (user.cc).
void AddUserCommands(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome);

}  // namespace imeiflow::cli
