// `imeiflow work [--until-idle]`: the dispatcher in the foreground for every
// job of the database, and the syncer polling order statuses with the slots
// submissions leave free; it first recovers what a crash left. --until-idle
// exits when nothing is queued or in flight and no status poll is due now
// (orders placed meanwhile are first due sync.first_poll_s later: `imeiflow
// sync` or the next `work` collects their results). SIGINT/SIGTERM stop it
// gracefully.
#include <fmt/format.h>

#include <memory>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/dispatch_session.h"
#include "cli/stop_signal.h"

namespace imeiflow::cli {
namespace {

int RunWork(const GlobalOptions& global, bool until_idle) {
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("work", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("work", db.status());
  const std::atomic<bool>& stop = InstallStopSignalHandlers();
  Status s = RunDispatchSession(*config, **db, DatabasePath(global, *config), stop, until_idle, {},
                                /*sync=*/true);
  if (!s.ok()) return Fail("work", s);
  return kExitOk;
}

}  // namespace

void AddWorkCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto until_idle = std::make_shared<bool>(false);
  CLI::App* cmd =
      app.add_subcommand("work", "Dispatch queued jobs and sync order statuses in the foreground");
  cmd->add_flag("--until-idle", *until_idle,
                "exit when nothing is queued or in flight and no status poll is due");
  cmd->callback(
      [&global, &outcome, until_idle]() { outcome.exit_code = RunWork(global, *until_idle); });
}

}  // namespace imeiflow::cli
