// The real imeiflow-sim program: start it on port 0, read the port from its
// first line, make calls, stop it with SIGTERM (and SIGKILL for the ledger).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/imei_check.h"
#include "sim/server.h"

extern char** environ;

namespace imeiflow::sim {
namespace {

std::string SimBinary() {
  const char* dir = std::getenv("IMEIFLOW_BINARY_DIR");
  return std::string(dir != nullptr ? dir : IMEIFLOW_BINARY_DIR) + "/src/imeiflow-sim";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One running imeiflow-sim with its stdout on a pipe and stderr in a file.
class SimProcess {
 public:
  explicit SimProcess(std::vector<std::string> args) {
    stderr_path_ = (std::filesystem::temp_directory_path() /
                    ("sim_binary_test_" + std::to_string(getpid()) + ".err"))
                       .string();
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    args.insert(args.begin(), SimBinary());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    spawned_ = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) == 0;
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    stdout_fd_ = out[0];
  }

  ~SimProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(stdout_fd_);
    std::filesystem::remove(stderr_path_);
  }

  bool spawned() const { return spawned_; }

  // The first stdout line, waiting up to 10 s.
  std::string FirstLine() {
    std::string line;
    char c;
    while (line.empty() || line.back() != '\n') {
      pollfd p{stdout_fd_, POLLIN, 0};
      if (poll(&p, 1, 10000) <= 0 || read(stdout_fd_, &c, 1) != 1) break;
      line += c;
    }
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  }

  // Sends `sig` and waits for the exit; the raw wait status.
  int SignalAndWait(int sig) {
    kill(pid_, sig);
    return Wait();
  }

  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return status;
  }

  std::string Stderr() const { return ReadFile(stderr_path_); }
  std::string RestOfStdout() {
    std::string rest;
    char buf[4096];
    ssize_t n;
    while ((n = read(stdout_fd_, buf, sizeof(buf))) > 0) rest.append(buf, static_cast<size_t>(n));
    return rest;
  }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  bool spawned_ = false;
  bool reaped_ = false;
  std::string stderr_path_;
};

int PortOf(const std::string& line) {
  const std::string prefix = "listening on http://127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) return -1;
  return std::stoi(line.substr(prefix.size()));
}

class SimBinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(SimBinary()))
        << SimBinary() << " is missing: build the imeiflow-sim target first";
    ledger_ = (std::filesystem::temp_directory_path() /
               ("sim_binary_test_" + std::to_string(getpid()) + ".csv"))
                  .string();
    std::filesystem::remove(ledger_);
  }
  void TearDown() override { std::filesystem::remove(ledger_); }
  std::string ledger_;
};

TEST_F(SimBinaryTest, ServesOnAnAnnouncedPortAndStopsOnSigterm) {
  const std::string key = "SECRET-1111-2222-3333-4444";
  SimProcess sim({"--listen", "127.0.0.1:0", "--api-key", key, "--user", "shop", "--ledger",
                  ledger_, "--seed", "9"});
  ASSERT_TRUE(sim.spawned());
  std::string line = sim.FirstLine();
  int port = PortOf(line);
  ASSERT_GT(port, 0) << "first line: " << line << "\nstderr: " << sim.Stderr();

  httplib::Client client("127.0.0.1", port);
  httplib::Params order{{"userId", "shop"},
                        {"apiKey", key},
                        {"action", "placeorder"},
                        {"imei", NthImei(5)},
                        {"networkId", "1739"}};
  auto r = client.Post(kApiPath, order);
  ASSERT_TRUE(r);
  EXPECT_NE(r->body.find("<id>1000001</id>"), std::string::npos) << r->body;
  httplib::Params wrong_user = order;
  wrong_user.erase("userId");
  wrong_user.emplace("userId", "demo");
  auto refused = client.Post(kApiPath, wrong_user);
  ASSERT_TRUE(refused);
  EXPECT_NE(refused->body.find("<error>Invalid User!</error>"), std::string::npos);
  client.stop();

  int status = sim.SignalAndWait(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(sim.RestOfStdout().find(key), std::string::npos);
  EXPECT_EQ(sim.Stderr().find(key), std::string::npos);
  EXPECT_NE(ReadFile(ledger_).find(",1000001,1739," + NthImei(5) + ",0.08,"), std::string::npos);
}

TEST_F(SimBinaryTest, SigintStopsItCleanly) {
  SimProcess sim({"--listen", "127.0.0.1:0"});
  ASSERT_TRUE(sim.spawned());
  ASSERT_GT(PortOf(sim.FirstLine()), 0) << sim.Stderr();
  int status = sim.SignalAndWait(SIGINT);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(SimBinaryTest, LedgerSurvivesSigkill) {
  SimProcess sim({"--listen", "127.0.0.1:0", "--ledger", ledger_});
  ASSERT_TRUE(sim.spawned());
  int port = PortOf(sim.FirstLine());
  ASSERT_GT(port, 0) << sim.Stderr();
  httplib::Client client("127.0.0.1", port);
  for (int i = 0; i < 3; ++i) {
    auto r = client.Post(kApiPath, httplib::Params{{"userId", "demo"},
                                                   {"apiKey", "DEMO-0000-0000-0000-0000"},
                                                   {"action", "placeorder"},
                                                   {"imei", NthImei(i)},
                                                   {"networkId", "2001"}});
    ASSERT_TRUE(r);
  }
  client.stop();
  int status = sim.SignalAndWait(SIGKILL);
  EXPECT_TRUE(WIFSIGNALED(status));
  std::istringstream lines(ReadFile(ledger_));
  int count = 0;
  for (std::string line; std::getline(lines, line);) ++count;
  EXPECT_EQ(count, 4);  // header + 3 orders
}

TEST_F(SimBinaryTest, BadFlagsExitWithUsageStatus) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"--listen", "nonsense"},
        std::vector<std::string>{"--fault-reset", "2"}, std::vector<std::string>{"--batch", "some"},
        std::vector<std::string>{"--process-after-ms", "9000", "--complete-after-ms", "10"}}) {
    SimProcess sim(args);
    ASSERT_TRUE(sim.spawned());
    int status = sim.Wait();
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2) << args[0] << " " << args[1];
    EXPECT_FALSE(sim.Stderr().empty());
  }
}

TEST_F(SimBinaryTest, UnwritableLedgerFailsToStart) {
  SimProcess sim({"--listen", "127.0.0.1:0", "--ledger", "/nonexistent/dir/l.csv"});
  ASSERT_TRUE(sim.spawned());
  int status = sim.Wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(sim.Stderr().find("/nonexistent/dir/l.csv"), std::string::npos);
}

}  // namespace
}  // namespace imeiflow::sim
