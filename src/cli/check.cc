// `imeiflow check FILE|-`: validate input, print valid/invalid/duplicate lines.
// Placeholder wiring until src/core/input.h lands (issue 2).
#include <cstdio>

#include "cli/command.h"

namespace imeiflow::cli {

void AddCheckCommand(CLI::App& app, const GlobalOptions&, CommandOutcome& outcome) {
  auto* cmd = app.add_subcommand("check", "Validate IMEI input; print invalid and duplicate lines");
  auto* file = new std::string;  // lives as long as the process, like the app
  cmd->add_option("file", *file, "input file (text, CSV or XLSX), or - for standard input")->required();
  cmd->callback([&outcome]() { outcome.exit_code = kExitFailure; });
}

}  // namespace imeiflow::cli
