// Helpers shared by the benchmarks that drive the web application over HTTP:
// a database holding a cached service, an operator with a password and an API
// token, and one queued job; a browser's login (session cookie and CSRF
// token); and the web application served in this process. Header-only: each bench/*_bench.cc is its own program. Not
// thread-safe; use from the benchmark's main thread.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/config.h"
#include "core/imei.h"
#include "core/money.h"
#include "core/role.h"
#include "core/status.h"
#include "store/database.h"
#include "store/job_submission.h"
#include "store/token_repository.h"
#include "store/user_repository.h"
#include "web/password.h"
#include "web/server.h"
#include "web/web_context.h"

namespace imeiflow::bench {

/// The operator every web benchmark logs in as.
inline constexpr char kWebUser[] = "bench";
/// Its password.
inline constexpr char kWebPassword[] = "bench-password";

/// A distinct Luhn-valid IMEI for each `serial`.
inline std::string BenchImei(int64_t serial) {
  std::string body = std::to_string(35000000000000LL + serial);
  return body + imeiflow::CheckDigit(body);
}

/// What PrepareWebDatabase made.
struct WebFixture {
  std::string token;   ///< the operator's API token
  int64_t job_id = 0;  ///< the queued job
};

/// Fills the database at `db_path` (created when missing): service 1739, the
/// operator kWebUser with an API token, and a queued job of `imeis` IMEIs
/// (BenchImei(0) onwards).
inline Result<WebFixture> PrepareWebDatabase(const std::string& db_path, int imeis) {
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(db_path);
  if (!db.ok()) return db.status();
  Status s = (*db)->Exec(
      "INSERT INTO services(id, category, title, price_cents, fetched_at)"
      " VALUES ('1739', 'Apple', 'Carrier check', 8, 0)");
  if (!s.ok()) return s;
  Result<std::string> hash = web::HashPassword(kWebPassword, web::PasswordCost::kMinimum);
  if (!hash.ok()) return hash.status();
  Result<int64_t> user =
      store::UserRepository(**db).Add(kWebUser, Role::kOperator, *hash, "bench", 0);
  if (!user.ok()) return user.status();
  Result<store::NewToken> token = store::TokenRepository(**db).Create(kWebUser, "", "bench", 0);
  if (!token.ok()) return token.status();
  CheckReport report;
  for (int i = 0; i < imeis; ++i) {
    report.imeis.push_back(BenchImei(i));
    report.imei_lines.push_back(i + 1);
  }
  store::CachedService service{"1739", "Apple", "Carrier check", Money::FromCents(8), "", "", 0};
  store::SubmissionOptions how;
  how.source = "bench";
  how.created_by = "bench";
  Result<store::Submission> job = store::SubmitJob(**db, service, report, how, 0);
  if (!job.ok()) return job.status();
  return WebFixture{token->secret, job->job.id};
}

/// A logged-in browser: its session cookie and the session's CSRF token.
struct Browser {
  std::string cookie;  ///< "imeiflow_session=..."
  std::string csrf;    ///< the session's CSRF token
};

/// The value of cookie `name` set by `response` ("" if none).
inline std::string SetCookieValue(const httplib::Result& response, const std::string& name) {
  auto range = response->headers.equal_range("Set-Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.rfind(name + "=", 0) != 0) continue;
    return it->second.substr(name.size() + 1, it->second.find(';') - name.size() - 1);
  }
  return "";
}

/// The csrf_token hidden field of an HTML page ("" if none).
inline std::string CsrfField(const std::string& html) {
  static const std::regex field(R"re(name="csrf_token" value="([0-9a-f]*)")re");
  std::smatch match;
  return std::regex_search(html, match, field) ? match[1].str() : "";
}

/// Logs in as `user` (kWebUser unless named; its password kWebPassword) the
/// way a browser does: GET /login for the CSRF token and cookie, POST the
/// form, keep the session cookie, and read the session's CSRF token from the
/// dashboard.
inline Result<Browser> LogIn(int port, const std::string& user = kWebUser) {
  httplib::Client client("127.0.0.1", port);
  httplib::Result form = client.Get("/login");
  if (!form || form->status != 200) return Status::Internal("GET /login failed");
  httplib::Params params{{"username", user},
                         {"password", kWebPassword},
                         {"csrf_token", CsrfField(form->body)},
                         {"next", ""}};
  httplib::Headers csrf_cookie = {
      {"Cookie", "imeiflow_csrf=" + SetCookieValue(form, "imeiflow_csrf")}};
  httplib::Result done = client.Post("/login", csrf_cookie, params);
  if (!done || done->status != 303) return Status::Internal("POST /login was refused");
  Browser browser;
  browser.cookie = "imeiflow_session=" + SetCookieValue(done, "imeiflow_session");
  httplib::Result page = client.Get("/", {{"Cookie", browser.cookie}});
  if (!page || page->status != 200) return Status::Internal("GET / after login failed");
  browser.csrf = CsrfField(page->body);
  return browser;
}

/// The web application (web::Server, every route, default options but the
/// port) served on 127.0.0.1 by a background thread until destruction.
class WebServer {
 public:
  /// Starts the server for the database at `db_path`; port() is 0 on failure.
  WebServer(const std::string& db_path, const Clock& clock) {
    Result<std::unique_ptr<web::WebContext>> web =
        web::WebContext::Create(Config(), db_path, clock);
    if (!web.ok()) return;
    web_ = std::move(*web);
    web::ServerOptions options;
    options.port = 0;
    Result<std::unique_ptr<web::Server>> server = web::Server::Create(*web_, options);
    if (!server.ok() || !(*server)->Bind().ok()) return;
    server_ = std::move(*server);
    listener_ = std::thread([this] {
      if (Status s = server_->Run(); !s.ok()) std::fprintf(stderr, "%s\n", s.message().c_str());
      stopped_ = true;
    });
  }
  ~WebServer() {
    if (!listener_.joinable()) return;
    // Stop() is a no-op until Run() is listening; repeat until it returns.
    while (!stopped_.load()) {
      server_->Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    listener_.join();
  }
  /// The port it listens on (0: it did not start).
  int port() const { return server_ ? server_->port() : 0; }

 private:
  std::unique_ptr<web::WebContext> web_;
  std::unique_ptr<web::Server> server_;
  std::thread listener_;
  std::atomic<bool> stopped_{false};
};

}  // namespace imeiflow::bench
