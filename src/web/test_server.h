// WebServerTest: a real web::Server on 127.0.0.1 (a free port) over a fresh
// database, with a FakeClock (sessions and the login throttle move only when
// a test moves it) and cheap password hashes, plus helpers to log in with a
// real httplib::Client. For the web tests only. Not thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <regex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/role.h"
#include "store/audit_log.h"
#include "store/test_database.h"
#include "store/user_repository.h"
#include "web/cookies.h"
#include "web/password.h"
#include "web/server.h"
#include "web/web_context.h"

namespace imeiflow::web {

/// The value part ("name=value") of the Set-Cookie header for `name`, and its flags.
inline std::string SetCookieHeader(const httplib::Result& response, const std::string& name) {
  auto range = response->headers.equal_range("Set-Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.rfind(name + "=", 0) == 0) return it->second;
  }
  return "";
}

/// The value of cookie `name` set by `response` ("" if none).
inline std::string SetCookieValueOf(const httplib::Result& response, const std::string& name) {
  std::string header = SetCookieHeader(response, name);
  if (header.empty()) return "";
  return header.substr(name.size() + 1, header.find(';') - name.size() - 1);
}

/// The csrf_token hidden field of an HTML page ("" if none).
inline std::string CsrfFieldOf(const std::string& html) {
  static const std::regex field(R"re(name="csrf_token" value="([0-9a-f]*)")re");
  std::smatch match;
  return std::regex_search(html, match, field) ? match[1].str() : "";
}

/// A logged-in browser: its cookie header and the session's CSRF token.
struct Browser {
  std::string cookie;  ///< "imeiflow_session=..."
  std::string csrf;    ///< the csrf_token of its pages
  /// Headers carrying the session cookie.
  httplib::Headers headers() const { return {{"Cookie", cookie}}; }
};

/// A running server over a fresh database.
class WebServerTest : public store::TestDatabase {
 protected:
  /// Upload limit of the test server: small, so a test can exceed it cheaply.
  static constexpr size_t kUploadLimit = 1 << 20;

  void SetUp() override {
    TestDatabase::SetUp();
    clock_ = std::make_unique<FakeClock>(1'800'000'000'000);
    Config config;
    Configure(config);
    Result<std::unique_ptr<WebContext>> web = WebContext::Create(config, path_, *clock_);
    ASSERT_TRUE(web.ok()) << web.status().message();
    web_ = std::move(*web);
    web_->password_cost = PasswordCost::kMinimum;
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.upload_limit_bytes = kUploadLimit;
    options.threads = 4;
    Result<std::unique_ptr<Server>> server = Server::Create(*web_, options);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    RegisterTestRoutes(server_->router());
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] {
      run_status_ = server_->Run();
      stopped_.store(true);
    });
  }

  void TearDown() override {
    if (thread_.joinable()) {
      // Stop() is a no-op until Run() is listening; repeat until it returns.
      while (!stopped_.load()) {
        server_->Stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      thread_.join();
      EXPECT_TRUE(run_status_.ok()) << run_status_.message();
    }
    server_.reset();
    web_.reset();
    TestDatabase::TearDown();
  }

  /// Lets a test change the configuration before the server is made.
  virtual void Configure(Config&) {}

  /// Lets a test add its own routes before the server runs.
  virtual void RegisterTestRoutes(Router&) {}

  /// A client of the test server.
  httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_->port());
    client.set_connection_timeout(5);
    client.set_read_timeout(10);
    return client;
  }

  /// Adds a user with `role` (its name) and `password`.
  void AddUser(const std::string& name, const std::string& role, const std::string& password) {
    std::optional<Role> parsed = ParseRole(role);
    ASSERT_TRUE(parsed.has_value()) << role;
    Result<std::string> hash = HashPassword(password, PasswordCost::kMinimum);
    ASSERT_TRUE(hash.ok());
    ASSERT_TRUE(
        store::UserRepository(*db_).Add(name, *parsed, *hash, "test", clock_->NowMs()).ok());
  }

  /// Posts the login form as a browser would (GET /login first for its CSRF token).
  httplib::Result PostLogin(httplib::Client& client, const std::string& user,
                            const std::string& password, const std::string& next = "") {
    httplib::Result form = client.Get("/login");
    EXPECT_TRUE(form && form->status == 200);
    std::string token = CsrfFieldOf(form->body);
    std::string cookie = SetCookieValueOf(form, "imeiflow_csrf");
    httplib::Params params{
        {"username", user}, {"password", password}, {"csrf_token", token}, {"next", next}};
    return client.Post("/login", {{"Cookie", "imeiflow_csrf=" + cookie}}, params);
  }

  /// Logs in and returns the browser's session cookie and the CSRF token of
  /// the page at `page_path` (any page with the layout).
  Browser LogIn(const std::string& user, const std::string& password,
                const std::string& page_path = "/") {
    httplib::Client client = Client();
    httplib::Result done = PostLogin(client, user, password);
    EXPECT_TRUE(done && done->status == 303) << (done ? done->body : "no answer");
    Browser browser;
    if (!done) return browser;
    browser.cookie = "imeiflow_session=" + SetCookieValueOf(done, "imeiflow_session");
    httplib::Result page = client.Get(page_path, browser.headers());
    EXPECT_TRUE(page && page->status == 200) << page_path;
    if (page) browser.csrf = CsrfFieldOf(page->body);
    return browser;
  }

  std::unique_ptr<FakeClock> clock_;
  std::unique_ptr<WebContext> web_;
  std::unique_ptr<Server> server_;

 private:
  std::thread thread_;
  std::atomic<bool> stopped_{false};
  Status run_status_;
};

}  // namespace imeiflow::web
