// ServeProcess: the built `imeiflow serve` running as a child process on
// 127.0.0.1 (a free port), for benchmarks that measure the program as a shop
// runs it. Header-only: each bench/*_bench.cc is its own program. Not
// thread-safe; use from the benchmark's main thread.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sim_process.h"

namespace imeiflow::bench {

/// `imeiflow serve --listen 127.0.0.1:0` with `env`; stopped (SIGTERM, then
/// SIGKILL after 5 s) and reaped on destruction.
class ServeProcess {
 public:
  /// Starts serve with `env` set, stderr appended to `log`; port() is 0 when
  /// it ended without saying where it serves.
  ServeProcess(const std::vector<std::pair<std::string, std::string>>& env,
               const std::string& log) {
    std::string exe = BuildDir() + "/src/imeiflow";
    std::vector<std::string> args = {exe, "serve", "--listen", "127.0.0.1:0"};
    int out[2];
    if (pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      if (!freopen(log.c_str(), "a", stderr)) _exit(126);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(exe.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    if (pid_ < 0) {
      close(out[0]);
      return;
    }
    out_ = fdopen(out[0], "r");
    ReadPort();
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (waitpid(pid_, nullptr, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() >= deadline) {
          kill(pid_, SIGKILL);
          waitpid(pid_, nullptr, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    if (out_ != nullptr) std::fclose(out_);
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  /// The port serve listens on (0: it did not start).
  int port() const { return port_; }
  /// The process id of serve.
  pid_t pid() const { return pid_; }

 private:
  // serve prints "serving http://127.0.0.1:PORT" once it listens; the pipe
  // stays open until the end, so serve never writes to a closed pipe.
  void ReadPort() {
    static const std::regex serving(R"(serving http://127\.0\.0\.1:(\d+))");
    char line[512];
    while (out_ != nullptr && std::fgets(line, sizeof line, out_) != nullptr) {
      std::cmatch match;
      if (std::regex_search(line, match, serving)) {
        port_ = std::atoi(match[1].str().c_str());
        return;
      }
    }
  }

  pid_t pid_ = -1;
  std::FILE* out_ = nullptr;
  int port_ = 0;
};

}  // namespace imeiflow::bench
