// A services refresh asked for on the page of a real `imeiflow serve`: the
// request only asks, serve's dispatcher lists the services from imeiflow-sim
// in a slot of its limiter, caches them, audits it, and the page says so.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>

#include "process_util.h"
#include "store/database.h"

namespace imeiflow::integration {
namespace {

constexpr const char* kPassword = "refresh-test-password";

// The first column of the first row of `sql` over the database at `path`.
std::string QueryOne(const std::string& path, const std::string& sql) {
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
  if (!db.ok()) return "no database: " + db.status().message();
  Result<store::Statement> st = (*db)->Prepare(sql);
  if (!st.ok()) return st.status().message();
  Result<bool> row = st->Step();
  return row.ok() && *row ? st->ColumnText(0) : "";
}

// The port `serve` printed in `out_path`, waiting up to 10 s for it (0: none).
int ServedPort(const std::string& out_path) {
  static const std::regex served(R"(serving http://127\.0\.0\.1:(\d+))");
  for (int i = 0; i < 200; ++i) {
    std::smatch match;
    std::string out = ReadAll(out_path);
    if (std::regex_search(out, match, served)) return std::stoi(match[1].str());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

// The csrf_token field of `html` ("" if none).
std::string CsrfOf(const std::string& html) {
  static const std::regex field(R"re(name="csrf_token" value="([0-9a-f]{64})")re");
  std::smatch token;
  return std::regex_search(html, token, field) ? token[1].str() : "";
}

// Logs in as ana; returns the Cookie header ("" on failure).
std::string LogIn(httplib::Client& client) {
  httplib::Result form = client.Get("/login");
  if (!form || form->status != 200) return "";
  std::string token = CsrfOf(form->body);
  httplib::Params params{{"username", "ana"}, {"password", kPassword}, {"csrf_token", token}};
  httplib::Result done = client.Post("/login", {{"Cookie", "imeiflow_csrf=" + token}}, params);
  if (!done || done->status != 303) return "";
  for (const auto& [name, value] : done->headers) {
    if (name == "Set-Cookie" && value.rfind("imeiflow_session=", 0) == 0) {
      return value.substr(0, value.find(';'));
    }
  }
  return "";
}

TEST(ServicesRefreshTest, ARefreshAskedOnThePageEndsWithTheServicesCached) {
  Sim sim;
  ASSERT_FALSE(sim.url().empty());
  TempDir dir;
  std::map<std::string, std::string> env = SupplierEnv(sim.url());
  env["IMEIFLOW_DB"] = dir.File("t.db");
  std::ofstream(dir.File("password")) << kPassword << "\n";
  ProcessRun user = RunImeiflow({"user", "add", "ana", "--role", "admin", "--password-stdin"}, env,
                                dir.File("password"));
  ASSERT_EQ(user.exit_code, 0) << user.err;

  ChildProcess serve({ImeiflowBinary(), "serve", "--listen", "127.0.0.1:0"}, env,
                     dir.File("serve.out"), dir.File("serve.err"));
  int port = ServedPort(dir.File("serve.out"));
  ASSERT_GT(port, 0) << ReadAll(dir.File("serve.err"));
  httplib::Client client("127.0.0.1", port);
  std::string cookie = LogIn(client);
  ASSERT_FALSE(cookie.empty());
  httplib::Result page = client.Get("/services", {{"Cookie", cookie}});
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find("0 of 0 cached services"), std::string::npos) << page->body;
  EXPECT_NE(page->body.find("No service is cached yet"), std::string::npos) << page->body;

  httplib::Result asked = client.Post("/services/refresh", {{"Cookie", cookie}},
                                      httplib::Params{{"csrf_token", CsrfOf(page->body)}});
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->status, 303);

  // Wait (up to 15 s) for the dispatcher to have done it.
  std::string body;
  for (int i = 0; i < 150 && body.find("Last refreshed at") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    httplib::Result shown = client.Get("/services", {{"Cookie", cookie}});
    if (shown && shown->status == 200) body = shown->body;
  }
  std::string cached = QueryOne(dir.File("t.db"), "SELECT count(*) FROM services");
  ASSERT_NE(body.find("Last refreshed at"), std::string::npos)
      << body << ReadAll(dir.File("serve.err"));
  EXPECT_GT(std::stoi(cached), 0);
  EXPECT_NE(body.find(": " + cached + " services"), std::string::npos) << body;
  EXPECT_NE(body.find("iPhone Carrier + FMI + SimLock Check"), std::string::npos);
  EXPECT_EQ(QueryOne(dir.File("t.db"),
                     "SELECT actor || ' ' || action FROM audit WHERE action = 'services_refresh'"),
            "ana services_refresh");
}

}  // namespace
}  // namespace imeiflow::integration
