// The built `imeiflow` facing bad input: flags with wrong values, a database
// it cannot use, a supplier whose text holds terminal escapes, bidi overrides
// and invalid UTF-8, lists longer than a job, and workbooks with missing
// shared strings. Each test runs the real program on real files, on a real
// pseudo-terminal where the terminal matters.
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/imei.h"
#include "core/input_test_util.h"
#include "process_util.h"
#include "store/database.h"
#include "store/order_repository.h"

namespace imeiflow::integration {
namespace {

using Env = std::map<std::string, std::string>;

// A supplier's service title meant to act on the operator's terminal: it
// retitles the window (OSC ... BEL), clears the screen, holds a C1 CSI and
// reverses the text after it (U+202E).
const std::string kHostileTitle =
    "Check \x1b]0;pwned\x07\x1b[2J\xC2\x9B"
    "31m \xE2\x80\xAEgpj.exe";

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// The valid IMEI numbered `n`.
std::string Imei(int64_t n) {
  std::string body = std::to_string(35000000000000 + n);
  return body + CheckDigit(body);
}

// Runs imeiflow with `args` and `env` with all three standard streams on a
// new pseudo-terminal; returns the exit code and what the terminal showed.
ProcessRun RunOnTerminal(std::vector<std::string> args, const Env& env) {
  args.insert(args.begin(), ImeiflowBinary());
  int master = -1;
  pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    clearenv();
    setenv("PATH", "/usr/bin:/bin", 1);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  ProcessRun result;
  if (pid < 0) return result;
  auto deadline = std::chrono::steady_clock::now() + kRunLimit;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{master, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) break;  // the child closed the terminal (EIO): it has ended
    result.out.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  close(master);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// A hostile supplier on 127.0.0.1: answers imeiservices with one service
// whose title is `title`, byte for byte.
class HostileSupplier {
 public:
  explicit HostileSupplier(const std::string& title) {
    std::string xml =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Packages><Package><PackageId>1739</PackageId>"
        "<Category>Checks</Category><PackageTitle>" +
        title +
        "</PackageTitle><PackagePrice>0.08</PackagePrice><TimeTaken>1 min</TimeTaken>"
        "<MustRead></MustRead></Package></Packages>";
    server_.Post("/gsmfusion_api/index.php",
                 [xml](const httplib::Request&, httplib::Response& res) {
                   res.set_content(xml, "application/xml");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    // Bound and listening already: a client's connection waits in the
    // backlog until the thread accepts it.
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HostileSupplier() {
    server_.stop();
    thread_.join();
  }
  HostileSupplier(const HostileSupplier&) = delete;
  HostileSupplier& operator=(const HostileSupplier&) = delete;

  /// The environment naming this supplier.
  Env SupplierEnv() const {
    Env env = integration::SupplierEnv("http://127.0.0.1:" + std::to_string(port_));
    env["IMEIFLOW_LOG_LEVEL"] = "warn";
    return env;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

// A database file in a temporary directory, with a service whose title is
// hostile and one completed order of it whose code is hostile too.
class CliInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = dir_.File("shop.db");
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(db_path_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    Result<store::Statement> service = (*db)->Prepare(
        "INSERT INTO services(id, title, price_cents, fetched_at) VALUES ('1739', ?1, 8, 0)");
    ASSERT_TRUE(service.ok());
    service->Bind(1, kHostileTitle);
    ASSERT_TRUE(service->Run().ok());
    Result<store::Statement> order = (*db)->Prepare(
        "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, placed_at,"
        " updated_at) VALUES ('77', ?1, '1739', 'pending', 8, 1796020200000, 1796020200000)");
    ASSERT_TRUE(order.ok());
    order->Bind(1, Imei(1));
    ASSERT_TRUE(order->Run().ok());
    ASSERT_TRUE(store::OrderRepository(**db)
                    .SetResult((*db)->LastInsertId(), store::OrderStatus::kCompleted,
                               "Model: X \x1b[31mred\x07", 1796020200000)
                    .ok());
  }

  // `imeiflow --db <the database> args...` with standard output to a file.
  ProcessRun Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_path_});
    return RunImeiflow(std::move(args), {{"IMEIFLOW_LOG_LEVEL", "warn"}});
  }

  TempDir dir_;
  std::string db_path_;
};

TEST_F(CliInputTest, AStatusThatIsNoneIsAUsageErrorNamingTheAllowedValues) {
  for (std::vector<std::string> args : {std::vector<std::string>{"orders", "--status", "complete"},
                                        {"export", "--status", "bogus"}}) {
    ProcessRun run = Run(args);
    EXPECT_EQ(run.exit_code, 2) << args[0] << run.out << run.err;
    EXPECT_NE(run.err.find("is not an order status (one of: pending, in_process, completed, "
                           "rejected, unconfirmed)"),
              std::string::npos)
        << run.err;
    EXPECT_EQ(run.out, "");
  }
}

TEST_F(CliInputTest, StatusesMayBeGivenInTheSuppliersWordsInAnyCase) {
  for (const char* status : {"completed", "Completed", "COMPLETED", "2"}) {
    ProcessRun run = Run({"orders", "--json", "--status", status});
    ASSERT_EQ(run.exit_code, 0) << status << run.err;
    EXPECT_EQ(nlohmann::json::parse(run.out)["orders"].size(), 1u) << status;
  }
  ProcessRun in_process = Run({"orders", "--json", "--status", "In Process"});
  ASSERT_EQ(in_process.exit_code, 0) << in_process.err;
  EXPECT_EQ(nlohmann::json::parse(in_process.out)["orders"].size(), 0u);
}

TEST_F(CliInputTest, NumbersOutOfRangeGetPlainMessagesWithTheValue) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"orders", "--limit", "0"}, "--limit: must be 1 or more (got 0)"},
      {{"orders", "--offset", "-1"}, "--offset: must be 0 or more (got -1)"},
      {{"orders", "--limit", "ten"}, "--limit: must be a whole number (got \"ten\")"},
      {{"job", "99999999999999999999"},
       "id: must be at most 9223372036854775807 (got 99999999999999999999)"},
      {{"cancel", "0"}, "id: must be 1 or more (got 0)"},
      {{"jobs", "--limit", "3000000000"}, "--limit: must be at most 2147483647 (got 3000000000)"},
  };
  for (const Case& c : cases) {
    ProcessRun run = Run(c.args);
    EXPECT_EQ(run.exit_code, 2) << c.args[0] << run.err;
    EXPECT_NE(run.err.find(c.message), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("1.79"), std::string::npos) << run.err;
  }
}

TEST_F(CliInputTest, AHugeTimeoutIsRefusedNotClamped) {
  ProcessRun run =
      RunImeiflow({"--db", db_path_, "orders"}, {{"IMEIFLOW_UPSTREAM_TIMEOUT_S", "99999999"}});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("IMEIFLOW_UPSTREAM_TIMEOUT_S: expected a whole number from 1 to 3600, "
                         "got \"99999999\""),
            std::string::npos)
      << run.err;
}

TEST_F(CliInputTest, AMissingDatabaseDirectoryIsNamedWithoutSql) {
  std::string missing = dir_.File("gone") + "/shop.db";
  ProcessRun run = RunImeiflow({"--db", missing, "orders"}, {{"IMEIFLOW_LOG_LEVEL", "warn"}});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err,
            "imeiflow orders: the database directory " + dir_.File("gone") + " does not exist\n");
}

TEST_F(CliInputTest, ExportToATerminalEscapesSupplierText) {
  ProcessRun shown = RunOnTerminal({"--db", db_path_, "export"}, {{"IMEIFLOW_LOG_LEVEL", "warn"}});
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  EXPECT_EQ(shown.out.find('\x1b'), std::string::npos) << shown.out;
  EXPECT_EQ(shown.out.find('\x07'), std::string::npos) << shown.out;
  EXPECT_EQ(shown.out.find("\xE2\x80\xAE"), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("Check \\x1b]0;pwned\\x07\\x1b[2J\\u009b31m \\u202egpj.exe"),
            std::string::npos)
      << shown.out;
  EXPECT_NE(shown.out.find("Model: X \\x1b[31mred\\x07"), std::string::npos) << shown.out;
  // To a file the data is exactly what the supplier sent.
  ProcessRun saved = Run({"export"});
  ASSERT_EQ(saved.exit_code, 0) << saved.err;
  EXPECT_NE(saved.out.find(kHostileTitle), std::string::npos) << saved.out;
}

TEST_F(CliInputTest, ServicesOnATerminalEscapeTheTitleAndJsonStaysValid) {
  HostileSupplier supplier(kHostileTitle + " \xFF\xFE end");
  ProcessRun shown = RunOnTerminal({"services"}, supplier.SupplierEnv());
  ASSERT_EQ(shown.exit_code, 0) << shown.out;
  EXPECT_EQ(shown.out.find('\x1b'), std::string::npos) << shown.out;
  EXPECT_NE(shown.out.find("\\u202egpj.exe \\xff\\xfe end"), std::string::npos) << shown.out;

  ProcessRun json = RunImeiflow({"services", "--json"}, supplier.SupplierEnv());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json parsed = nlohmann::json::parse(json.out);  // throws (fails) unless valid
  std::string title = parsed["services"][0]["title"];
  EXPECT_NE(title.find("gpj.exe \xEF\xBF\xBD\xEF\xBF\xBD end"), std::string::npos) << title;
}

TEST_F(CliInputTest, CheckReportsUnreadableSharedStringsAsInvalidRows) {
  std::string book = dir_.File("no-strings.xlsx");
  WriteFile(book, testing::WriteZip({{"xl/worksheets/sheet1.xml",
                                      "<worksheet><sheetData>"
                                      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                                      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>"
                                      "</sheetData></worksheet>"}}));
  ProcessRun run = RunImeiflow({"check", book}, {});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.out.find("2 invalid"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("line 2"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("no shared strings"), std::string::npos) << run.out;
}

TEST_F(CliInputTest, AListLongerThanAJobIsRefusedStatingTheLimit) {
  std::string list;
  for (int i = 0; i < 100'001; ++i) list += Imei(i) + "\n";
  std::string path = dir_.File("long.txt");
  WriteFile(path, list);
  for (std::vector<std::string> args : {std::vector<std::string>{"check", path},
                                        {"submit", "--service", "1739", "--dry-run", path}}) {
    ProcessRun run = Run(args);
    EXPECT_NE(run.exit_code, 0) << args[0];
    EXPECT_NE(
        run.err.find("more than 100,000 IMEIs: at most 100,000 IMEIs per job; split the list"),
        std::string::npos)
        << args[0] << run.out << run.err;
  }
}

}  // namespace
}  // namespace imeiflow::integration
