#include "cli/command_env.h"

#include <fmt/format.h>

#include <cstdio>

namespace imeiflow::cli {

Result<Config> LoadCommandConfig(const GlobalOptions& global) {
  Result<Config> config = LoadConfig(global.config_path, ProcessEnv());
  if (!config.ok()) return config.status();
  if (Status s = SetUpLogging(config->log); !s.ok()) return s;
  return config;
}

std::string DatabasePath(const GlobalOptions& global, const Config& config) {
  if (!global.db_path.empty()) return global.db_path;
  if (std::optional<std::string> env = ProcessEnv()("IMEIFLOW_DB"); env && !env->empty()) {
    return *env;
  }
  return config.store.path;
}

Result<std::unique_ptr<store::Database>> OpenDatabase(const GlobalOptions& global,
                                                      const Config& config) {
  return store::Database::Open(DatabasePath(global, config));
}

std::string CommandActor() {
  std::optional<std::string> user = ProcessEnv()("USER");
  return user && !user->empty() ? fmt::format("cli:{}", *user) : "cli";
}

int Fail(std::string_view command, const Status& status) {
  fmt::print(stderr, "imeiflow {}: {}\n", command, status.message());
  return kExitFailure;
}

}  // namespace imeiflow::cli
