// Helpers for integration tests that run the built programs as real processes:
// an imeiflow-sim process with its ledger and /sim/stats, and imeiflow runs
// (to completion or in the background, to be killed). Every process started
// here is killed and reaped when its owner goes out of scope, even when a test
// fails. Not thread-safe: use from the test's thread.
#pragma once

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/sim_process.h"

namespace imeiflow::integration {

/// The simulator's default credentials.
inline constexpr const char* kSimUser = "demo";
inline constexpr const char* kSimKey = "DEMO-0000-0000-0000-0000";

/// A fresh directory under /tmp (or "/tmp" if none could be made).
inline std::string MakeTempDir() {
  char pattern[] = "/tmp/imeiflow-it-XXXXXX";
  const char* dir = mkdtemp(pattern);
  return dir ? dir : "/tmp";
}

/// The whole content of the file at `path` ("" when unreadable).
inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// A loopback port nothing listens on (bound, never listened, then closed):
/// connections to it are refused.
inline int ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

/// A temporary directory removed with everything in it on destruction.
class TempDir {
 public:
  /// Creates the directory.
  TempDir() : path_(MakeTempDir()) {}
  ~TempDir() {
    std::error_code ignored;
    if (path_ != "/tmp") std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  /// The directory.
  const std::string& path() const { return path_; }
  /// `name` inside the directory.
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// A child process (argv[0] is the program's path) with only `env` (plus PATH)
/// in its environment, standard input from a file and its output in files.
/// Killed (SIGKILL) and reaped on destruction if still running.
class ChildProcess {
 public:
  /// Starts `args` with stdout to `out_path`, stderr to `err_path` and stdin
  /// from `in_path`.
  ChildProcess(std::vector<std::string> args, const std::map<std::string, std::string>& env,
               const std::string& out_path, const std::string& err_path,
               const std::string& in_path = "/dev/null") {
    pid_ = fork();
    if (pid_ == 0) {
      clearenv();
      setenv("PATH", "/usr/bin:/bin", 1);
      for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
      if (!freopen(in_path.c_str(), "r", stdin) || !freopen(out_path.c_str(), "w", stdout) ||
          !freopen(err_path.c_str(), "w", stderr)) {
        _exit(126);
      }
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~ChildProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Sends `signal` (while the child has not been reaped).
  void Signal(int signal) {
    if (pid_ > 0) kill(pid_, signal);
  }
  /// Waits for the exit: the exit code, or -1 when a signal ended it.
  int Wait() {
    if (pid_ <= 0) return -1;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  /// Waits up to `limit` for the exit, then kills the child: the exit code,
  /// or -1 when a signal (or the kill) ended it.
  int WaitFor(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (pid_ <= 0) return -1;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  /// True once the child has exited (it is then reaped; Wait() gives -1).
  bool Exited() {
    if (pid_ <= 0) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
    pid_ = -1;
    return true;
  }

 private:
  pid_t pid_ = -1;
};

/// The outcome of a finished process.
struct ProcessRun {
  int exit_code = -1;  ///< -1 when a signal ended it
  std::string out;     ///< standard output
  std::string err;     ///< standard error
};

/// The built imeiflow program.
inline std::string ImeiflowBinary() { return std::string(IMEIFLOW_BINARY_DIR) + "/src/imeiflow"; }

/// How long RunImeiflow lets a run take before it kills it (a hung run then
/// fails its test instead of stalling the suite).
inline constexpr std::chrono::seconds kRunLimit{120};

/// Runs build/.../imeiflow with `args` and only `env` (plus PATH) in its
/// environment, standard input from `in_path`, to completion (or kRunLimit).
inline ProcessRun RunImeiflow(std::vector<std::string> args,
                              const std::map<std::string, std::string>& env,
                              const std::string& in_path = "/dev/null") {
  TempDir dir;
  args.insert(args.begin(), ImeiflowBinary());
  ChildProcess child(std::move(args), env, dir.File("out"), dir.File("err"), in_path);
  int code = child.WaitFor(kRunLimit);
  return ProcessRun{code, ReadAll(dir.File("out")), ReadAll(dir.File("err"))};
}

/// The environment naming the simulator at `url` as the supplier.
inline std::map<std::string, std::string> SupplierEnv(const std::string& url,
                                                      const std::string& key = kSimKey) {
  return {{"IMEIFLOW_UPSTREAM_URL", url},
          {"IMEIFLOW_UPSTREAM_USER", kSimUser},
          {"IMEIFLOW_UPSTREAM_API_KEY", key}};
}

/// One imeiflow-sim process on 127.0.0.1 (port chosen by the system) with a
/// ledger, stopped (SIGTERM) on destruction.
class Sim {
 public:
  /// Starts the simulator with extra command-line `options`; url() is empty
  /// when it did not come up.
  explicit Sim(std::vector<std::string> options = {})
      : dir_(MakeTempDir()),
        ledger_(dir_ + "/ledger.csv"),
        process_(Binary(), WithLedger(options)) {}
  ~Sim() {
    std::remove(ledger_.c_str());
    rmdir(dir_.c_str());
  }
  Sim(const Sim&) = delete;
  Sim& operator=(const Sim&) = delete;

  /// "http://127.0.0.1:PORT", or "" when the simulator did not start.
  const std::string& url() const { return process_.url(); }

  /// GET /sim/stats (null when it failed).
  nlohmann::json Stats() const {
    httplib::Client http("127.0.0.1", process_.port());
    auto res = http.Get("/sim/stats");
    if (!res || res->status != 200) return nlohmann::json();
    return nlohmann::json::parse(res->body, nullptr, false);
  }

  /// Ledger rows: time,order_id,service_id,imei,price,call_id,answer.
  std::vector<std::vector<std::string>> Ledger() const {
    std::vector<std::vector<std::string>> rows;
    std::ifstream in(ledger_);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::vector<std::string> cells;
      std::stringstream ss(line);
      std::string cell;
      while (std::getline(ss, cell, ',')) cells.push_back(cell);
      rows.push_back(cells);
    }
    return rows;
  }

  /// How many times the ledger charged `imei`.
  int Charges(const std::string& imei) const {
    int n = 0;
    for (const auto& row : Ledger()) n += row.size() > 3 && row[3] == imei;
    return n;
  }

  /// Charges per IMEI over the whole ledger.
  std::map<std::string, int> ChargesByImei() const {
    std::map<std::string, int> charges;
    for (const auto& row : Ledger()) {
      if (row.size() > 3) ++charges[row[3]];
    }
    return charges;
  }

 private:
  static std::string Binary() { return std::string(IMEIFLOW_BINARY_DIR) + "/src/imeiflow-sim"; }
  std::vector<std::string> WithLedger(std::vector<std::string> options) const {
    options.insert(options.begin(), {"--ledger", ledger_});
    return options;
  }

  std::string dir_;          // holds the ledger
  std::string ledger_;       // the simulator's ledger file
  sim::SimProcess process_;  // started after dir_ and ledger_ exist, stopped first
};

/// Waits (polling, up to `limit`) until `sim` has answered `n` placeorder
/// calls: a dispatcher is then running. False when it did not happen.
inline bool WaitForPlaceOrders(const Sim& sim, int n, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    nlohmann::json stats = sim.Stats();
    if (stats.is_object() && stats["calls"]["placeorder"].get<int>() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace imeiflow::integration
