// imeiflow: the command-line entry point. Each subcommand lives in its own
// file and registers itself here.
#include <CLI/CLI.hpp>

#include "cli/command.h"
#include "core/version.h"

int main(int argc, char** argv) {
  using namespace imeiflow::cli;
  CLI::App app{"imeiflow: order IMEI services from GSM Fusion suppliers, exactly once"};
  app.require_subcommand(1);
  app.set_version_flag("--version", imeiflow::VersionLine("imeiflow"));
  GlobalOptions global;
  app.add_option("--config", global.config_path, "TOML configuration file (else IMEIFLOW_CONFIG)");
  app.add_option("--db", global.db_path, "database file (else IMEIFLOW_DB or store.path)");
  CommandOutcome outcome;

  AddCheckCommand(app, global, outcome);
  AddServicesCommand(app, global, outcome);
  AddDoctorCommand(app, global, outcome);
  AddSubmitCommand(app, global, outcome);
  AddWorkCommand(app, global, outcome);
  AddJobCommands(app, global, outcome);
  AddReviewCommand(app, global, outcome);
  AddOrdersCommand(app, global, outcome);
  AddSyncCommand(app, global, outcome);
  AddExportCommand(app, global, outcome);
  AddImportCommand(app, global, outcome);
  AddReconcileCommand(app, global, outcome);
  AddTokenCommands(app, global, outcome);
  AddServeCommand(app, global, outcome);
  AddUserCommands(app, global, outcome);
  AddBackupCommands(app, global, outcome);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return outcome.exit_code;
}
