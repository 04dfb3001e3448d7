// `imeiflow backup FILE` and `imeiflow restore FILE [--yes]`
// (store/backup.h). Backup copies the database while serve keeps working and
// checks the copy. Restore overwrites the shop's data, so it asks on the
// terminal first (--yes without one), refuses a database in use, and keeps
// the old database beside it as DB.before-restore.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli/command.h"
#include "cli/command_env.h"
#include "store/backup.h"

namespace imeiflow::cli {
namespace {

struct RestoreOptions {
  std::string file;
  bool yes = false;
};

int RunBackup(const GlobalOptions& global, const std::string& file) {
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("backup", config.status());
  std::string db = DatabasePath(global, *config);
  if (Status s = store::BackupDatabase(db, file); !s.ok()) return Fail("backup", s);
  fmt::print("Backed up {} to {} (integrity check passed).\n", db, file);
  return kExitOk;
}

// Asks on standard input when it is a terminal; nullopt when there is none.
std::optional<bool> AskToOverwrite(const std::string& db, const std::string& file) {
  if (isatty(STDIN_FILENO) == 0) return std::nullopt;
  fmt::print(stderr, "Replace every order in {} with the backup {}? [y/N] ", db, file);
  std::fflush(stderr);
  std::string answer;
  char c = 0;
  while (read(STDIN_FILENO, &c, 1) == 1 && c != '\n') answer += c;
  return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

int RunRestore(const GlobalOptions& global, const RestoreOptions& opt) {
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("restore", config.status());
  std::string db = DatabasePath(global, *config);
  // Check first, so the question is only asked about a file that can be restored.
  if (Status s = store::CheckBackupFile(opt.file); !s.ok()) return Fail("restore", s);
  if (Status s = store::CheckDatabaseNotInUse(db); !s.ok()) return Fail("restore", s);
  if (!opt.yes) {
    std::optional<bool> answer = AskToOverwrite(db, opt.file);
    if (!answer) {
      fmt::print(stderr,
                 "imeiflow restore: not confirmed: there is no terminal to ask on; pass --yes to"
                 " replace {} with {}. Nothing was changed.\n",
                 db, opt.file);
      return kExitUsage;
    }
    if (!*answer) {
      fmt::print(stderr, "Not confirmed: nothing was changed.\n");
      return kExitOk;
    }
  }
  if (Status s = store::RestoreDatabase(opt.file, db); !s.ok()) return Fail("restore", s);
  fmt::print("Restored {} from {}; the previous database is kept as {}.before-restore.\n", db,
             opt.file, db);
  return kExitOk;
}

}  // namespace

void AddBackupCommands(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto file = std::make_shared<std::string>();
  CLI::App* backup = app.add_subcommand("backup", "copy the database (safe while serve runs)");
  backup->add_option("FILE", *file, "the backup file to write")->required();
  backup->callback([&global, &outcome, file] { outcome.exit_code = RunBackup(global, *file); });

  auto opt = std::make_shared<RestoreOptions>();
  CLI::App* restore =
      app.add_subcommand("restore", "replace the database with a backup (serve must be stopped)");
  restore->add_option("FILE", opt->file, "the backup file to restore")->required();
  restore->add_flag("--yes", opt->yes, "do not ask (needed without a terminal)");
  restore->callback([&global, &outcome, opt] { outcome.exit_code = RunRestore(global, *opt); });
}

}  // namespace imeiflow::cli
