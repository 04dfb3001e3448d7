// `imeiflow serve` under systemd's Type=notify protocol: the built program
// started with NOTIFY_SOCKET naming a real unix datagram socket says READY=1
// once it serves, and STOPPING=1 after SIGTERM before it exits 0.
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "process_util.h"

namespace imeiflow::integration {
namespace {

// A unix datagram socket bound at a path, as systemd's notify socket is.
class NotifySocket {
 public:
  explicit NotifySocket(std::string path) : path_(std::move(path)) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path_.copy(addr.sun_path, sizeof addr.sun_path - 1);
    bound_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~NotifySocket() {
    if (fd_ >= 0) close(fd_);
  }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  bool bound() const { return bound_; }
  const std::string& path() const { return path_; }

  // Datagrams until one holds `line` as a line of its own, waiting up to
  // `limit` in all; every message read, joined ("" when none came).
  std::string WaitFor(const std::string& line, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    std::string seen;
    while (std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count()) + 1) <= 0) break;
      char buf[4096];
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      std::string message(buf, static_cast<size_t>(n));
      seen += message + "\n";
      if (("\n" + message + "\n").find("\n" + line + "\n") != std::string::npos) return seen;
    }
    return seen;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool bound_ = false;
};

TEST(ServeNotifyTest, SaysReadyWhenServingAndStoppingOnSigterm) {
  Sim sim;
  ASSERT_FALSE(sim.url().empty());
  TempDir dir;
  NotifySocket notify(dir.File("notify.sock"));
  ASSERT_TRUE(notify.bound()) << notify.path();
  std::map<std::string, std::string> env = SupplierEnv(sim.url());
  env["IMEIFLOW_DB"] = dir.File("t.db");
  env["NOTIFY_SOCKET"] = notify.path();
  ChildProcess serve({ImeiflowBinary(), "serve", "--listen", "127.0.0.1:0"}, env,
                     dir.File("serve.out"), dir.File("serve.err"));

  std::string before_ready = notify.WaitFor("READY=1", std::chrono::seconds(30));
  ASSERT_NE(before_ready.find("READY=1"), std::string::npos)
      << "messages: " << before_ready << "\nstderr: " << ReadAll(dir.File("serve.err"));
  // Ready means serving: the printed address answers at once.
  std::smatch match;
  std::string out = ReadAll(dir.File("serve.out"));
  ASSERT_TRUE(std::regex_search(out, match, std::regex(R"(serving http://127\.0\.0\.1:(\d+))")))
      << out;
  httplib::Client http("127.0.0.1", std::stoi(match[1].str()));
  auto login = http.Get("/login");
  ASSERT_TRUE(login) << "no answer after READY=1";
  EXPECT_EQ(login->status, 200);

  serve.Signal(SIGTERM);
  std::string on_stop = notify.WaitFor("STOPPING=1", std::chrono::seconds(30));
  EXPECT_NE(on_stop.find("STOPPING=1"), std::string::npos) << "messages: " << on_stop;
  EXPECT_EQ(serve.WaitFor(std::chrono::seconds(60)), 0) << ReadAll(dir.File("serve.err"));
}

TEST(ServeNotifyTest, WithoutNotifySocketServesAsBefore) {
  Sim sim;
  ASSERT_FALSE(sim.url().empty());
  TempDir dir;
  std::map<std::string, std::string> env = SupplierEnv(sim.url());
  env["IMEIFLOW_DB"] = dir.File("t.db");
  ChildProcess serve({ImeiflowBinary(), "serve", "--listen", "127.0.0.1:0"}, env,
                     dir.File("serve.out"), dir.File("serve.err"));
  static const std::regex served(R"(serving http://127\.0\.0\.1:\d+)");
  bool serving = false;
  for (int i = 0; i < 600 && !serving; ++i) {
    serving = std::regex_search(ReadAll(dir.File("serve.out")), served);
    if (!serving) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(serving) << ReadAll(dir.File("serve.err"));
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.WaitFor(std::chrono::seconds(60)), 0);
  EXPECT_EQ(ReadAll(dir.File("serve.err")).find("notify"), std::string::npos)
      << ReadAll(dir.File("serve.err"));
}

}  // namespace
}  // namespace imeiflow::integration
