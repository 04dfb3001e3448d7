// `imeiflow serve` end to end: the built program serving pages on 127.0.0.1
// while its dispatcher orders from imeiflow-sim, then stopped with SIGTERM;
// and serve beside another process that holds the dispatcher lock.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "process_util.h"
#include "sim/imei_check.h"
#include "store/database.h"

namespace imeiflow::integration {
namespace {

constexpr const char* kService = "1739";  // $0.08 in the simulator's catalogue
constexpr const char* kPassword = "serve-test-password";

// A database with an admin user and a job of `count` IMEIs for `sim`.
class ServeRun {
 public:
  ServeRun(const Sim& sim, uint64_t first, int count) : env_(SupplierEnv(sim.url())) {
    env_["IMEIFLOW_DB"] = dir_.File("t.db");
    env_["IMEIFLOW_LOG_LEVEL"] = "info";
    std::ofstream imeis(dir_.File("imeis.txt"));
    for (int i = 0; i < count; ++i) imeis << sim::NthImei(first + i) << "\n";
    imeis.close();
    std::ofstream password(dir_.File("password"));
    password << kPassword << "\n";
  }

  // Adds the admin and the job; false (with a test failure) if either failed.
  bool Prepare() {
    ProcessRun user = RunImeiflow({"user", "add", "ana", "--role", "admin", "--password-stdin"},
                                  env_, dir_.File("password"));
    EXPECT_EQ(user.exit_code, 0) << user.err;
    ProcessRun submit =
        RunImeiflow({"submit", "--service", kService, "--yes", dir_.File("imeis.txt")}, env_);
    EXPECT_EQ(submit.exit_code, 0) << submit.err;
    return user.exit_code == 0 && submit.exit_code == 0;
  }

  // Starts `imeiflow <args>` in the background, output in `name`.out / .err.
  std::unique_ptr<ChildProcess> Start(std::vector<std::string> args, const std::string& name) {
    args.insert(args.begin(), ImeiflowBinary());
    return std::make_unique<ChildProcess>(std::move(args), env_, dir_.File(name + ".out"),
                                          dir_.File(name + ".err"));
  }

  // The port `serve` printed in name.out, waiting up to 10 s for it (0: none).
  int ServedPort(const std::string& name) const {
    static const std::regex served(R"(serving http://127\.0\.0\.1:(\d+))");
    for (int i = 0; i < 200; ++i) {
      std::smatch match;
      std::string out = ReadAll(dir_.File(name + ".out"));
      if (std::regex_search(out, match, served)) return std::stoi(match[1].str());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
  }

  std::string Err(const std::string& name) const { return ReadAll(dir_.File(name + ".err")); }

  // Sets an environment variable of every later run.
  void SetEnv(const std::string& name, const std::string& value) { env_[name] = value; }
  // Runs `imeiflow <args>` to completion.
  ProcessRun Run(std::vector<std::string> args) const { return RunImeiflow(std::move(args), env_); }

  // Item counts per state, read after every process ended.
  std::map<std::string, int> StateCounts() const {
    std::map<std::string, int> counts;
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(dir_.File("t.db"));
    if (!db.ok()) {
      ADD_FAILURE() << db.status().message();
      return counts;
    }
    Result<store::Statement> st = (*db)->Prepare("SELECT state, count(*) FROM items GROUP BY 1");
    if (!st.ok()) return counts;
    for (Result<bool> more = st->Step(); more.ok() && *more; more = st->Step()) {
      counts[st->ColumnText(0)] = static_cast<int>(st->ColumnInt(1));
    }
    return counts;
  }

 private:
  TempDir dir_;
  std::map<std::string, std::string> env_;
};

// Logs in as `user`; returns the Cookie header ("" on failure).
std::string LogIn(httplib::Client& client, const std::string& user = "ana",
                  const std::string& password = kPassword) {
  httplib::Result form = client.Get("/login");
  if (!form || form->status != 200) return "";
  static const std::regex field(R"re(name="csrf_token" value="([0-9a-f]{64})")re");
  std::smatch token;
  if (!std::regex_search(form->body, token, field)) return "";
  httplib::Params params{{"username", user}, {"password", password}, {"csrf_token", token[1]}};
  httplib::Result done =
      client.Post("/login", {{"Cookie", "imeiflow_csrf=" + token[1].str()}}, params);
  if (!done || done->status != 303) return "";
  for (const auto& [name, value] : done->headers) {
    if (name == "Set-Cookie" && value.rfind("imeiflow_session=", 0) == 0) {
      return value.substr(0, value.find(';'));
    }
  }
  return "";
}

// The dashboard, polled until it contains `text` (up to 10 s); its last body.
std::string DashboardWith(httplib::Client& client, const std::string& cookie,
                          const std::string& text) {
  std::string body;
  for (int i = 0; i < 100; ++i) {
    httplib::Result page = client.Get("/", {{"Cookie", cookie}});
    if (page && page->status == 200) {
      body = page->body;
      if (body.find(text) != std::string::npos) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return body;
}

TEST(ServeTest, ServesPagesWhileDispatchingAndStopsCleanlyOnSigterm) {
  // 400 ms per call: when SIGTERM comes, calls are in flight and items queued.
  Sim sim({"--latency-ms", "400"});
  ASSERT_FALSE(sim.url().empty());
  ServeRun run(sim, 9100000, 300);
  ASSERT_TRUE(run.Prepare());
  std::unique_ptr<ChildProcess> serve = run.Start({"serve", "--listen", "127.0.0.1:0"}, "serve");
  int port = run.ServedPort("serve");
  ASSERT_GT(port, 0) << run.Err("serve");

  httplib::Client client("127.0.0.1", port);
  httplib::Result anonymous = client.Get("/");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 303);
  httplib::Result health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  std::string cookie = LogIn(client);
  ASSERT_FALSE(cookie.empty()) << run.Err("serve");
  std::string dashboard = DashboardWith(client, cookie, "calls in flight");
  EXPECT_NE(dashboard.find(R"(<strong id="dispatcher-state">running</strong>)"), std::string::npos)
      << dashboard;
  EXPECT_NE(dashboard.find(R"(<a href="/jobs/1">1</a>)"), std::string::npos);

  serve->Signal(SIGTERM);
  EXPECT_EQ(serve->WaitFor(std::chrono::seconds(30)), 0) << run.Err("serve");
  EXPECT_NE(run.Err("serve").find("serve: stopped"), std::string::npos) << run.Err("serve");
  // Calls in flight finished and were recorded; the rest waits, queued.
  std::map<std::string, int> counts = run.StateCounts();
  EXPECT_EQ(counts["in_flight"], 0);
  EXPECT_EQ(counts["uncertain"], 0);
  EXPECT_GT(counts["accepted"], 0);
  EXPECT_EQ(counts["accepted"] + counts["queued"], 300);
  EXPECT_EQ(static_cast<int>(sim.ChargesByImei().size()), counts["accepted"]);
  // The port is closed.
  EXPECT_FALSE(httplib::Client("127.0.0.1", port).Get("/login"));
}

TEST(ServeTest, ServesPagesWhileAnotherProcessDispatches) {
  Sim sim({"--latency-ms", "200"});
  ASSERT_FALSE(sim.url().empty());
  ServeRun run(sim, 9200000, 50);
  ASSERT_TRUE(run.Prepare());
  std::unique_ptr<ChildProcess> work = run.Start({"work"}, "work");
  // Placing orders, work holds the dispatcher lock.
  ASSERT_TRUE(WaitForPlaceOrders(sim, 1, std::chrono::seconds(20))) << run.Err("work");
  std::unique_ptr<ChildProcess> serve = run.Start({"serve", "--listen", "127.0.0.1:0"}, "serve");
  int port = run.ServedPort("serve");
  ASSERT_GT(port, 0) << run.Err("serve");
  httplib::Client client("127.0.0.1", port);
  std::string cookie = LogIn(client);
  ASSERT_FALSE(cookie.empty());
  std::string dashboard = DashboardWith(client, cookie, "running in another process");
  EXPECT_NE(dashboard.find("running in another process"), std::string::npos) << dashboard;

  serve->Signal(SIGTERM);
  work->Signal(SIGTERM);
  EXPECT_EQ(serve->WaitFor(std::chrono::seconds(30)), 0) << run.Err("serve");
  EXPECT_EQ(work->WaitFor(std::chrono::seconds(30)), 0) << run.Err("work");
}

// What `serve --demo` printed: the web URL's port, the supplier's port and
// the demo login, waiting up to 10 s for them.
struct DemoStart {
  int port = 0;
  int supplier_port = 0;
  std::string user;
  std::string password;
};

DemoStart WaitForDemo(const std::string& out_path) {
  static const std::regex login(
      R"(supplier at http://127\.0\.0\.1:(\d+)[^\n]*\n.*open http://127\.0\.0\.1:(\d+)/ and log in with user (\S+), password (\S+))");
  DemoStart demo;
  for (int i = 0; i < 200; ++i) {
    std::smatch match;
    std::string out = ReadAll(out_path);
    if (std::regex_search(out, match, login)) {
      demo.supplier_port = std::stoi(match[1].str());
      demo.port = std::stoi(match[2].str());
      demo.user = match[3].str();
      demo.password = match[4].str();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return demo;
}

TEST(ServeTest, DemoRunsAgainstItsOwnSupplierWithAFreshDatabaseEachTime) {
  TempDir dir;
  std::string folder = dir.File("demo");
  std::vector<std::string> args = {ImeiflowBinary(), "serve",    "--demo",     "--demo-dir",
                                   folder,           "--listen", "127.0.0.1:0"};
  std::string first_password;
  for (int run = 0; run < 2; ++run) {
    std::string out = dir.File("demo" + std::to_string(run) + ".out");
    std::string err = dir.File("demo" + std::to_string(run) + ".err");
    ChildProcess serve(args, {{"IMEIFLOW_LOG_LEVEL", "warn"}}, out, err);
    DemoStart demo = WaitForDemo(out);
    ASSERT_GT(demo.port, 0) << ReadAll(out) << ReadAll(err);
    EXPECT_EQ(demo.user, "demo");
    EXPECT_GE(demo.password.size(), 12u);
    httplib::Client client("127.0.0.1", demo.port);
    EXPECT_FALSE(LogIn(client, demo.user, demo.password).empty()) << ReadAll(err);
    if (run == 0) {
      first_password = demo.password;
    } else {
      // A fresh database: the first run's password is gone with its user.
      EXPECT_NE(demo.password, first_password);
      EXPECT_TRUE(LogIn(client, demo.user, first_password).empty());
    }
    // The supplier's services are cached, ready for the submit page.
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(folder + "/imeiflow.db");
    ASSERT_TRUE(db.ok()) << db.status().message();
    Result<store::Statement> services = (*db)->Prepare("SELECT count(*) FROM services");
    ASSERT_TRUE(services.ok() && *services->Step());
    EXPECT_GT(services->ColumnInt(0), 0);
    db->reset();

    serve.Signal(SIGTERM);
    EXPECT_EQ(serve.WaitFor(std::chrono::seconds(30)), 0) << ReadAll(err);
    // The simulated supplier stopped with it.
    EXPECT_FALSE(httplib::Client("127.0.0.1", demo.supplier_port).Get("/sim/stats"));
  }
}

TEST(ServeTest, DemoKeepReusesItsDatabaseWithANewPasswordAndTakesItsCap) {
  TempDir dir;
  std::string folder = dir.File("demo");
  std::string first_password;
  for (int run = 0; run < 2; ++run) {
    std::vector<std::string> args = {ImeiflowBinary(), "serve", "--demo",   "--demo-dir", folder,
                                     "--demo-cap",     "3.00",  "--listen", "127.0.0.1:0"};
    if (run == 1) args.push_back("--keep");
    std::string out = dir.File("keep" + std::to_string(run) + ".out");
    std::string err = dir.File("keep" + std::to_string(run) + ".err");
    ChildProcess serve(args, {{"IMEIFLOW_LOG_LEVEL", "warn"}}, out, err);
    DemoStart demo = WaitForDemo(out);
    ASSERT_GT(demo.port, 0) << ReadAll(out) << ReadAll(err);
    EXPECT_NE(ReadAll(out).find("daily cap $3.00"), std::string::npos) << ReadAll(out);
    httplib::Client client("127.0.0.1", demo.port);
    EXPECT_FALSE(LogIn(client, demo.user, demo.password).empty()) << ReadAll(err);
    if (run == 0) {
      first_password = demo.password;
    } else {
      EXPECT_NE(ReadAll(out).find("kept the database of the last demo"), std::string::npos);
      EXPECT_TRUE(LogIn(client, demo.user, first_password).empty());  // a new password
    }
    serve.Signal(SIGTERM);
    EXPECT_EQ(serve.WaitFor(std::chrono::seconds(30)), 0) << ReadAll(err);
  }
  // The first run's rows are still there: both logins, one admin added, its
  // password set anew.
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(folder + "/imeiflow.db");
  ASSERT_TRUE(db.ok()) << db.status().message();
  Result<store::Statement> rows = (*db)->Prepare(
      "SELECT group_concat(action, ',') FROM (SELECT action FROM audit"
      " WHERE action IN ('login', 'user_add', 'user_passwd') ORDER BY id)");
  ASSERT_TRUE(rows.ok() && *rows->Step());
  EXPECT_EQ(rows->ColumnText(0), "user_add,login,user_passwd,login");
}

TEST(ServeTest, BadListenAddressIsAUsageError) {
  TempDir dir;
  ProcessRun run =
      RunImeiflow({"serve", "--listen", "nowhere"}, {{"IMEIFLOW_DB", dir.File("t.db")}});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--listen"), std::string::npos) << run.err;
}

// Row 7 of issue 11: a second serve on a used port split the requests with
// the first (SO_REUSEPORT); now it refuses to start.
TEST(ServeTest, ASecondServeOnAUsedPortFailsAddressInUse) {
  Sim sim;
  ASSERT_FALSE(sim.url().empty());
  ServeRun run(sim, 700, 1);
  std::unique_ptr<ChildProcess> first = run.Start({"serve", "--listen", "127.0.0.1:0"}, "first");
  int port = run.ServedPort("first");
  ASSERT_GT(port, 0) << run.Err("first");
  ProcessRun second = run.Run({"serve", "--listen", "127.0.0.1:" + std::to_string(port)});
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_NE(second.err.find("address in use"), std::string::npos) << second.err;
  EXPECT_FALSE(first->Exited());
  httplib::Client client("127.0.0.1", port);
  httplib::Result health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  first->Signal(SIGTERM);
  EXPECT_EQ(first->WaitFor(std::chrono::seconds(30)), 0) << run.Err("first");
}

// GET /api/v1/jobs/{id} polled until its state is `state` and no call is in
// flight (up to `seconds`); the last answer.
nlohmann::json JobWhen(httplib::Client& client, const std::string& token, int64_t id,
                       const std::string& state, int seconds) {
  nlohmann::json job;
  for (int i = 0; i < seconds * 10; ++i) {
    httplib::Result r =
        client.Get("/api/v1/jobs/" + std::to_string(id), {{"Authorization", "Bearer " + token}});
    if (r && r->status == 200) {
      job = nlohmann::json::parse(r->body, nullptr, false);
      if (job.is_object() && job["state"] == state && job["counts"]["in_flight"] == 0) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return job;
}

TEST(ServeTest, TheDailyCapPausesAJobAndRaisingItOnTheSettingsPageResumesIt) {
  Sim sim({"--reject-ratio", "0"});
  ASSERT_FALSE(sim.url().empty());
  ServeRun run(sim, 9400000, 40);  // 40 x $0.08 = $3.20 against a cap of $1.00
  run.SetEnv("IMEIFLOW_SPENDING_DAILY_CAP", "1.00");
  ASSERT_TRUE(run.Prepare());
  ProcessRun token = run.Run({"token", "create", "--user", "ana"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  const std::string bearer = token.out.substr(0, token.out.find('\n'));
  std::unique_ptr<ChildProcess> serve = run.Start({"serve", "--listen", "127.0.0.1:0"}, "serve");
  int port = run.ServedPort("serve");
  ASSERT_GT(port, 0) << run.Err("serve");
  httplib::Client client("127.0.0.1", port);

  nlohmann::json paused = JobWhen(client, bearer, 1, "paused", 30);
  ASSERT_EQ(paused["state"], "paused") << paused.dump() << run.Err("serve");
  EXPECT_EQ(paused["paused_reason"],
            "daily cap of $1.00 reached; resumes at 00:00 UTC or when the cap is raised");
  EXPECT_EQ(paused["counts"]["accepted"], 12);  // 12 x $0.08 = $0.96; a 13th is over the cap
  EXPECT_EQ(paused["money"]["spent"], "0.96");
  EXPECT_EQ(static_cast<int>(sim.ChargesByImei().size()), 12);

  // Raise the cap on the settings page, as an admin would, without a restart.
  std::string cookie = LogIn(client);
  ASSERT_FALSE(cookie.empty());
  httplib::Result form = client.Get("/settings", {{"Cookie", cookie}});
  ASSERT_TRUE(form);
  ASSERT_EQ(form->status, 200);
  static const std::regex field(R"re(name="csrf_token" value="([0-9a-f]{64})")re");
  std::smatch csrf;
  ASSERT_TRUE(std::regex_search(form->body, csrf, field));
  httplib::Result saved =
      client.Post("/settings", {{"Cookie", cookie}},
                  httplib::Params{{"daily_cap", "10.00"}, {"csrf_token", csrf[1].str()}});
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->status, 303);

  nlohmann::json done = JobWhen(client, bearer, 1, "done", 60);
  EXPECT_EQ(done["state"], "done") << done.dump() << run.Err("serve");
  EXPECT_EQ(done["counts"]["accepted"], 40);
  EXPECT_EQ(done["money"]["spent"], "3.20");
  EXPECT_FALSE(done.contains("paused_reason"));
  EXPECT_EQ(static_cast<int>(sim.ChargesByImei().size()), 40);
  serve->Signal(SIGTERM);
  EXPECT_EQ(serve->WaitFor(std::chrono::seconds(30)), 0) << run.Err("serve");
}

}  // namespace
}  // namespace imeiflow::integration
