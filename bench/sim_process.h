// Helpers shared by the benchmarks that run imeiflow programs as child
// processes: where the built programs are, and imeiflow-sim started as a
// separate process (so that a benchmark's CPU figures never include the
// supplier's work). Header-only: each bench/*_bench.cc is its own program.
// Not thread-safe; use from the benchmark's main thread.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>
#include <vector>

namespace imeiflow::bench {

/// The build tree's top directory (build/release), found from this program's
/// own path (build/release/bench/<name>).
inline std::string BuildDir() {
  char exe[PATH_MAX] = {};
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  std::string dir(exe, n > 0 ? static_cast<size_t>(n) : 0);
  dir = dir.substr(0, dir.rfind('/'));  // .../bench
  return dir.substr(0, dir.rfind('/'));
}

/// imeiflow-sim listening on 127.0.0.1 (a free port), stopped (SIGTERM) on
/// destruction.
class SimProcess {
 public:
  /// Starts build/release/src/imeiflow-sim with `flags` after `--listen
  /// 127.0.0.1:0`; url() is empty when it did not start.
  explicit SimProcess(const std::vector<std::string>& flags) {
    std::string sim = BuildDir() + "/src/imeiflow-sim";
    std::vector<std::string> args = {sim, "--listen", "127.0.0.1:0"};
    args.insert(args.end(), flags.begin(), flags.end());
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(sim.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    if (pid_ < 0) {
      close(out[0]);
      return;
    }
    // The only stdout line: "listening on http://127.0.0.1:PORT".
    // Kept open until the end, so that the simulator never writes to a closed pipe.
    out_ = fdopen(out[0], "r");
    char line[256] = {};
    if (out_ != nullptr && fgets(line, sizeof line, out_) != nullptr) {
      std::string text(line);
      size_t at = text.find("http://");
      if (at != std::string::npos) url_ = text.substr(at, text.find_last_not_of("\r\n") + 1 - at);
    }
  }
  ~SimProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ != nullptr) fclose(out_);
  }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  /// "http://127.0.0.1:PORT", or empty when the simulator did not start.
  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string url_;
};

}  // namespace imeiflow::bench
