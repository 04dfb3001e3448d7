// SimProcess: imeiflow-sim started as a child process on 127.0.0.1 (a free
// port), for the integration tests and benchmarks that need the supplier in a
// process of its own (so that CPU figures and kills never include it).
// Stopped with SIGTERM on destruction. Header-only. Not thread-safe; use from
// one thread.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

namespace imeiflow::sim {

/// One running imeiflow-sim.
class SimProcess {
 public:
  /// Starts `binary` with `--listen 127.0.0.1:0` and `flags`; url() is empty
  /// when it did not come up.
  SimProcess(const std::string& binary, const std::vector<std::string>& flags) {
    std::vector<std::string> args = {binary, "--listen", "127.0.0.1:0"};
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
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    if (pid_ < 0) {
      close(out[0]);
      return;
    }
    // The only stdout line: "listening on http://127.0.0.1:PORT". The pipe
    // stays open until the end, so the simulator never writes to a closed pipe.
    out_ = fdopen(out[0], "r");
    char line[256] = {};
    if (out_ != nullptr && fgets(line, sizeof line, out_) != nullptr) {
      std::string text(line);
      size_t at = text.find("http://");
      if (at != std::string::npos) {
        url_ = text.substr(at, text.find_last_not_of("\r\n") + 1 - at);
        port_ = std::stoi(url_.substr(url_.rfind(':') + 1));
      }
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
  /// The port it listens on (0 when it did not start).
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::string url_;
  int port_ = 0;
};

}  // namespace imeiflow::sim
