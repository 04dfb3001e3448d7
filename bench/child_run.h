// RunImeiflow: runs the built `imeiflow` as a child process and measures it
// (wall time, CPU time and peak RSS through wait4), so a benchmark's figures
// are those of that one process. Header-only: each bench/*_bench.cc is its
// own program. Not thread-safe; use from the benchmark's main thread.
//
// Linux counts the pages a forked child shares with its parent in the
// child's peak RSS (exec keeps the high-water mark of the image it
// replaces), so max_rss_kb is at least the parent's RSS at the fork:
// an upper bound, tight when the benchmark itself is small (ParentRssKb).
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/imei.h"
#include "sim_process.h"

namespace imeiflow::bench {

/// What one child process took.
struct ChildRun {
  int exit_code = -1;   ///< 128 + signal when a signal ended it
  double wall_s = 0;    ///< from fork to reaping
  double cpu_s = 0;     ///< user + system
  long max_rss_kb = 0;  ///< peak resident set size
};

/// This process's resident set now (VmRSS), in KiB; 0 when unknown.
inline long ParentRssKb() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (status == nullptr) return 0;
  char line[256];
  long kb = 0;
  while (std::fgets(line, sizeof line, status)) {
    if (std::sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
  }
  std::fclose(status);
  return kb;
}

/// Runs build/release/src/imeiflow with `args` and the extra `env`, its
/// stdout to the file `out` (overwritten) and stderr appended to `log`.
inline ChildRun RunImeiflow(const std::vector<std::string>& args,
                            const std::vector<std::pair<std::string, std::string>>& env,
                            const std::string& log, const std::string& out = "/dev/null") {
  auto seconds = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  std::string exe = BuildDir() + "/src/imeiflow";
  std::vector<std::string> argv_text = {exe};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  ChildRun run;
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    if (!freopen(out.c_str(), "w", stdout) || !freopen(log.c_str(), "a", stderr)) _exit(126);
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  if (pid < 0) return run;
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return run;
  run.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  run.cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  run.max_rss_kb = usage.ru_maxrss;
  return run;
}

/// Environment of one imeiflow child run.
using ChildEnv = std::vector<std::pair<std::string, std::string>>;

/// A fresh folder /tmp/<prefix>.XXXXXX whose imeis.txt holds `count`
/// distinct Luhn-valid IMEIs, one per line, numbered from `first` (14 digits);
/// empty when the folder cannot be made.
inline std::filesystem::path FolderWithImeis(const std::string& prefix, int count, int64_t first) {
  std::string pattern = "/tmp/" + prefix + ".XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return {};
  std::filesystem::path dir = pattern;
  std::ofstream out(dir / "imeis.txt");
  for (int64_t i = 0; i < count; ++i) {
    std::string body = std::to_string(first + i);
    out << body << imeiflow::CheckDigit(body) << '\n';
  }
  return dir;
}

/// imeiflow pointed at the simulator `url` and the database `db`, warnings
/// only, up to 64 calls in flight.
inline ChildEnv SimulatorEnv(const std::string& url, const std::string& db) {
  return {{"IMEIFLOW_UPSTREAM_URL", url},
          {"IMEIFLOW_UPSTREAM_USER", "demo"},
          {"IMEIFLOW_UPSTREAM_API_KEY", "DEMO-0000-0000-0000-0000"},
          {"IMEIFLOW_DB", db},
          {"IMEIFLOW_LOG_LEVEL", "warn"},
          {"IMEIFLOW_DISPATCH_MAX_IN_FLIGHT", "64"}};
}

}  // namespace imeiflow::bench
