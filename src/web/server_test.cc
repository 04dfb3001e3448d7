// HTTP tests of the web foundation: a real server on 127.0.0.1 and a real
// httplib::Client. Routes under /test/ are registered by the fixture through
// the same RouteGet / RoutePost helpers every page uses.
#include "web/server.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <vector>

#include "web/page.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

class ServerTest : public WebServerTest {
 protected:
  void RegisterTestRoutes(Router& server) override {
    auto page = [](PageRequest& page) {
      TemplateData data;
      data.set("heading", "Test page");
      data.set("message", page.Field("say"));
      data.set("back_href", "/");
      data.set("back_label", "back");
      page.Render("error", "Test page", data);
    };
    RouteGet(server, *web_, "/test/page", Role::kViewer, page);
    RouteGet(server, *web_, "/test/operator", Role::kOperator, page);
    RoutePost(server, *web_, "/test/change", Role::kOperator, [](PageRequest& page) {
      // Stands for a change the store audits (the test's own row).
      Status s = store::AuditLog(page.db).Append(page.now_ms(), page.session().user_name,
                                                 "test_change", page.Field("what"));
      if (!s.ok()) return page.Fail(s);
      page.RedirectWithFlash("/test/page", FlashKind::kOk,
                             "Changed <b>" + page.Field("what") + "</b>");
    });
  }

  std::ostringstream log_;

  Browser LogInAs(const std::string& name, const std::string& role) {
    AddUser(name, role, "password-" + name);
    return LogIn(name, "password-" + name, "/test/page");
  }
};

TEST_F(ServerTest, PagesWithoutASessionRedirectToLogin) {
  httplib::Client client = Client();
  httplib::Result page = client.Get("/test/page?say=hi");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 303);
  // httplib's client decodes %XX in header values; the server sent
  // /login?next=%2Ftest%2Fpage%3Fsay%3Dhi (cookies_test checks the encoding).
  EXPECT_EQ(page->get_header_value("Location"), "/login?next=/test/page?say=hi");
  // A forged or stale cookie is no session either.
  httplib::Result forged =
      client.Get("/test/page", {{"Cookie", "imeiflow_session=" + std::string(64, 'a')}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 303);
}

TEST_F(ServerTest, LoginPageFollowsTheDomContract) {
  httplib::Client client = Client();
  httplib::Result page = client.Get("/login");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  const std::string& html = page->body;
  EXPECT_NE(html.find(R"(<form method="post" action="/login")"), std::string::npos);
  EXPECT_NE(html.find(R"(name="username")"), std::string::npos);
  EXPECT_NE(html.find(R"(name="password")"), std::string::npos);
  EXPECT_NE(html.find(R"(<button type="submit">)"), std::string::npos);
  EXPECT_EQ(CsrfFieldOf(html).size(), 64u);
  EXPECT_EQ(CsrfFieldOf(html), SetCookieValueOf(page, "imeiflow_csrf"));
  EXPECT_NE(html.find("/static/app.css?v="), std::string::npos);
}

TEST_F(ServerTest, LoginSetsASafeSessionCookieAndLeadsToTheNextPage) {
  AddUser("ana", "operator", "correct horse");
  httplib::Client client = Client();
  httplib::Result done = PostLogin(client, "ana", "correct horse", "/test/page?say=hello");
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(done->get_header_value("Location"), "/test/page?say=hello");
  std::string cookie = SetCookieHeader(done, "imeiflow_session");
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Lax"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP: " << cookie;
  std::string id = SetCookieValueOf(done, "imeiflow_session");
  EXPECT_EQ(id.size(), 64u);
  // The database keeps only the id's digest.
  EXPECT_EQ(Query("SELECT count(*) FROM sessions WHERE id_hash = '" + id + "'"), "0");
  EXPECT_EQ(Query("SELECT count(*) FROM sessions"), "1");

  httplib::Result page = client.Get("/test/page?say=hello", {{"Cookie", "imeiflow_session=" + id}});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("hello"), std::string::npos);
  EXPECT_NE(page->body.find(R"(<form method="post" action="/logout")"), std::string::npos);
  EXPECT_NE(page->body.find(R"(<button type="submit" id="logout">)"), std::string::npos);
  EXPECT_EQ(Query("SELECT actor || ' ' || action FROM audit WHERE action <> 'user_add'"),
            "ana login");
}

TEST_F(ServerTest, LoginRefusesExternalNextPages) {
  AddUser("ana", "viewer", "correct horse");
  httplib::Client client = Client();
  // Browsers drop the tab (and newlines) inside a URL: "/\t/host" is "//host".
  for (const char* next : {"//evil.example/", "https://evil.example/", "/\\evil.example",
                           "/\t/127.0.0.1:18090/pwned", "/\n/evil.example"}) {
    httplib::Result done = PostLogin(client, "ana", "correct horse", next);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->get_header_value("Location"), "/") << next;
  }
}

TEST_F(ServerTest, WrongPasswordsFailThenGetRateLimited) {
  AddUser("ana", "operator", "correct horse");
  httplib::Client client = Client();
  for (int i = 0; i < 5; ++i) {
    httplib::Result done = PostLogin(client, "ana", "wrong horse");
    ASSERT_TRUE(done);
    EXPECT_EQ(done->status, 200);
    EXPECT_NE(done->body.find("Wrong user name or password."), std::string::npos);
    EXPECT_TRUE(SetCookieHeader(done, "imeiflow_session").empty());
  }
  // Now even the right password is refused until the window has passed.
  httplib::Result limited = PostLogin(client, "ana", "correct horse");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_NE(limited->body.find("Too many failed logins"), std::string::npos);
  EXPECT_NE(limited->body.find("Try again in 15 minutes"), std::string::npos);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "900");
  EXPECT_EQ(Query("SELECT count(*) FROM sessions"), "0");
  EXPECT_EQ(Query("SELECT count(*) FROM audit WHERE action = 'login_failed' AND actor = 'ana'"),
            "5");

  clock_->Advance(15 * 60'000);
  httplib::Result later = PostLogin(client, "ana", "correct horse");
  ASSERT_TRUE(later);
  EXPECT_EQ(later->status, 303);
}

TEST_F(ServerTest, UnknownUsersFailLikeWrongPasswords) {
  httplib::Client client = Client();
  httplib::Result done = PostLogin(client, "nobody", "whatever it is");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200);
  EXPECT_NE(done->body.find("Wrong user name or password."), std::string::npos);
}

TEST_F(ServerTest, DisabledUsersCannotLogIn) {
  AddUser("ana", "admin", "correct horse");
  ASSERT_TRUE(store::UserRepository(*db_).Disable("ana", "root", clock_->NowMs()).ok());
  httplib::Client client = Client();
  httplib::Result done = PostLogin(client, "ana", "correct horse");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200);
}

TEST_F(ServerTest, LoginWithoutCsrfTokenIsRefusedAndChangesNothing) {
  AddUser("ana", "operator", "correct horse");
  httplib::Client client = Client();
  httplib::Result form = client.Get("/login");
  ASSERT_TRUE(form);
  std::string cookie = "imeiflow_csrf=" + SetCookieValueOf(form, "imeiflow_csrf");
  httplib::Params no_token{{"username", "ana"}, {"password", "correct horse"}};
  httplib::Params wrong_token{
      {"username", "ana"}, {"password", "correct horse"}, {"csrf_token", std::string(64, 'b')}};
  httplib::Params right_token{
      {"username", "ana"}, {"password", "correct horse"}, {"csrf_token", CsrfFieldOf(form->body)}};
  httplib::Result missing = client.Post("/login", {{"Cookie", cookie}}, no_token);
  httplib::Result wrong = client.Post("/login", {{"Cookie", cookie}}, wrong_token);
  httplib::Result no_cookie = client.Post("/login", right_token);
  for (const httplib::Result* r : {&missing, &wrong, &no_cookie}) {
    ASSERT_TRUE(*r);
    EXPECT_EQ((*r)->status, 403);
    EXPECT_TRUE(SetCookieHeader(*r, "imeiflow_session").empty());
  }
  EXPECT_EQ(Query("SELECT count(*) FROM sessions"), "0");
  EXPECT_EQ(Query("SELECT count(*) FROM audit WHERE action <> 'user_add'"), "0");
}

TEST_F(ServerTest, PostsWithoutTheSessionsCsrfTokenAreRefusedAndChangeNothing) {
  Browser ana = LogInAs("ana", "operator");
  ASSERT_EQ(ana.csrf.size(), 64u);
  httplib::Client client = Client();
  httplib::Result missing =
      client.Post("/test/change", ana.headers(), httplib::Params{{"what", "x"}});
  httplib::Result wrong = client.Post("/test/change", ana.headers(),
                                      httplib::Params{{"what", "x"}, {"csrf_token", "abc"}});
  for (const httplib::Result* r : {&missing, &wrong}) {
    ASSERT_TRUE(*r);
    EXPECT_EQ((*r)->status, 403);
    EXPECT_NE((*r)->body.find("Nothing was changed"), std::string::npos);
  }
  EXPECT_EQ(Query("SELECT count(*) FROM audit WHERE action = 'test_change'"), "0");
  // Multipart forms carry the token too.
  httplib::MultipartFormDataItems items{{"what", "y", "", ""}, {"csrf_token", ana.csrf, "", ""}};
  httplib::Result ok = client.Post("/test/change", ana.headers(), items);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 303);
  EXPECT_EQ(Query("SELECT detail FROM audit WHERE action = 'test_change'"), "y");
}

TEST_F(ServerTest, TheCsrfTokenIsReadFromTheBodyOnly) {
  Browser ana = LogInAs("ana", "operator");
  httplib::Client client = Client();
  httplib::Result in_query =
      client.Post("/test/change?csrf_token=" + ana.csrf + "&what=x", ana.headers(), "",
                  "application/x-www-form-urlencoded");
  ASSERT_TRUE(in_query);
  EXPECT_EQ(in_query->status, 403);
  EXPECT_EQ(Query("SELECT count(*) FROM audit WHERE action = 'test_change'"), "0");
  httplib::Result in_body = client.Post("/test/change", ana.headers(),
                                        httplib::Params{{"what", "x"}, {"csrf_token", ana.csrf}});
  ASSERT_TRUE(in_body);
  EXPECT_EQ(in_body->status, 303);
}

TEST_F(ServerTest, PostsWithoutASessionAreRefused) {
  httplib::Client client = Client();
  httplib::Result done = client.Post("/test/change", httplib::Params{{"what", "x"}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 403);
  EXPECT_EQ(Query("SELECT count(*) FROM audit"), "0");
}

TEST_F(ServerTest, RolesAreEnforcedByTheGuard) {
  Browser viewer = LogInAs("vic", "viewer");
  Browser op = LogInAs("ola", "operator");
  httplib::Client client = Client();
  httplib::Result refused = client.Get("/test/operator", viewer.headers());
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_NE(refused->body.find("needs the operator role"), std::string::npos);
  httplib::Result post = client.Post("/test/change", viewer.headers(),
                                     httplib::Params{{"what", "x"}, {"csrf_token", viewer.csrf}});
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 403);
  EXPECT_EQ(Query("SELECT count(*) FROM audit WHERE action = 'test_change'"), "0");
  httplib::Result allowed = client.Get("/test/operator", op.headers());
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
  // A role change applies to open sessions at once.
  ASSERT_TRUE(
      store::UserRepository(*db_).SetRole("ola", Role::kViewer, "root", clock_->NowMs()).ok());
  EXPECT_EQ(client.Get("/test/operator", op.headers())->status, 403);
}

TEST_F(ServerTest, GuardDecisions) {
  Session viewer{"h", 1, "vic", Role::kViewer, "token"};
  EXPECT_EQ(CheckAccess(std::nullopt, Role::kViewer, false, ""), Access::kLoginRequired);
  EXPECT_EQ(CheckAccess(std::nullopt, Role::kViewer, true, "token"), Access::kSessionEnded);
  EXPECT_EQ(CheckAccess(viewer, Role::kViewer, false, ""), Access::kAllowed);
  EXPECT_EQ(CheckAccess(viewer, Role::kOperator, false, ""), Access::kForbidden);
  EXPECT_EQ(CheckAccess(viewer, Role::kViewer, true, ""), Access::kBadCsrf);
  EXPECT_EQ(CheckAccess(viewer, Role::kViewer, true, "tokem"), Access::kBadCsrf);
  EXPECT_EQ(CheckAccess(viewer, Role::kViewer, true, "token"), Access::kAllowed);
  EXPECT_EQ(CheckAccess(viewer, Role::kOperator, true, "token"), Access::kForbidden);
}

TEST_F(ServerTest, FlashMessagesShowOnceAndEscaped) {
  Browser ana = LogInAs("ana", "operator");
  httplib::Client client = Client();
  httplib::Result done = client.Post(
      "/test/change", ana.headers(),
      httplib::Params{{"what", "<script>alert(1)</script>; 100%"}, {"csrf_token", ana.csrf}});
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 303);
  std::string flash = "imeiflow_flash=" + SetCookieValueOf(done, "imeiflow_flash");
  httplib::Result page = client.Get("/test/page", {{"Cookie", ana.cookie + "; " + flash}});
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find(R"(<div class="flash flash-ok")"), std::string::npos);
  EXPECT_NE(
      page->body.find("Changed &lt;b&gt;&lt;script&gt;alert(1)&lt;/script&gt;; 100%&lt;/b&gt;"),
      std::string::npos)
      << page->body;
  EXPECT_EQ(page->body.find("<script>alert"), std::string::npos);
  EXPECT_NE(SetCookieHeader(page, "imeiflow_flash").find("Max-Age=0"), std::string::npos);
}

TEST_F(ServerTest, TypedTextIsEscaped) {
  httplib::Client client = Client();
  httplib::Result done = PostLogin(client, "<script>x</script>", "whatever it is");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->body.find("<script>x"), std::string::npos);
  EXPECT_NE(done->body.find("&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
}

TEST_F(ServerTest, LogoutRevokesTheSession) {
  Browser ana = LogInAs("ana", "operator");
  httplib::Client client = Client();
  ASSERT_EQ(client.Get("/test/page", ana.headers())->status, 200);
  httplib::Result bad = client.Post("/logout", ana.headers(), httplib::Params{});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 403);
  ASSERT_EQ(client.Get("/test/page", ana.headers())->status, 200);

  httplib::Result out =
      client.Post("/logout", ana.headers(), httplib::Params{{"csrf_token", ana.csrf}});
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 303);
  EXPECT_EQ(out->get_header_value("Location"), "/login");
  EXPECT_NE(SetCookieHeader(out, "imeiflow_session").find("Max-Age=0"), std::string::npos);
  // The old cookie no longer works, even if the browser kept it.
  httplib::Result after = client.Get("/test/page", ana.headers());
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 303);
  EXPECT_EQ(Query("SELECT count(*) FROM sessions WHERE revoked_at IS NOT NULL"), "1");
  EXPECT_EQ(Query("SELECT group_concat(action, ',') FROM"
                  " (SELECT action FROM audit WHERE action <> 'user_add' ORDER BY id)"),
            "login,logout");
  // Logging out again, without a session, is refused like any POST without a token.
  httplib::Result again =
      client.Post("/logout", ana.headers(), httplib::Params{{"csrf_token", ana.csrf}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 403);
}

TEST_F(ServerTest, SessionsEndWhenIdle) {
  Browser ana = LogInAs("ana", "viewer");
  httplib::Client client = Client();
  clock_->Advance(59 * 60'000);
  ASSERT_EQ(client.Get("/test/page", ana.headers())->status, 200);  // touched
  clock_->Advance(59 * 60'000);
  ASSERT_EQ(client.Get("/test/page", ana.headers())->status, 200);
  clock_->Advance(61 * 60'000);
  EXPECT_EQ(client.Get("/test/page", ana.headers())->status, 303);
}

TEST_F(ServerTest, OversizedUploadsGetTheErrorPage) {
  Browser ana = LogInAs("ana", "operator");
  httplib::Client client = Client();
  std::string big(kUploadLimit + 1, 'x');
  httplib::MultipartFormDataItems items{{"file", big, "imeis.txt", "text/plain"},
                                        {"csrf_token", ana.csrf, "", ""}};
  httplib::Result done = client.Post("/test/change", ana.headers(), items);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 413);
  EXPECT_NE(done->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(done->body.find("Upload too large"), std::string::npos);
  EXPECT_NE(done->body.find("1 MB"), std::string::npos);
  EXPECT_EQ(Query("SELECT count(*) FROM audit WHERE action = 'test_change'"), "0");
  // The server is still fine afterwards.
  EXPECT_EQ(Client().Get("/test/page", ana.headers())->status, 200);
}

TEST_F(ServerTest, ChunkedBodiesAreBoundByTheUploadLimit) {
  httplib::Client client = Client();
  const std::string block(64 << 10, 'x');
  httplib::Result done = client.Post(
      "/login",
      [&block](size_t, httplib::DataSink& sink) {
        for (size_t sent = 0; sent <= kUploadLimit; sent += block.size()) {
          if (!sink.write(block.data(), block.size())) return false;
        }
        sink.done();
        return true;
      },
      "application/x-www-form-urlencoded");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 413);
  EXPECT_NE(done->body.find("Upload too large"), std::string::npos);
}

TEST_F(ServerTest, ServesStaticAssetsAndErrorPages) {
  httplib::Client client = Client();
  httplib::Result css = client.Get("/static/app.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_NE(css->body.find(".progress"), std::string::npos);
  httplib::Result js = client.Get("/static/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_NE(js->get_header_value("Content-Type").find("javascript"), std::string::npos);
  httplib::Result missing = client.Get("/static/nothing.css");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  httplib::Result unknown = client.Get("/no/such/page");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_NE(unknown->body.find("Page not found"), std::string::npos);
}

// Issue 12: browsers ask for /favicon.ico on every site; it answered 404.
TEST_F(ServerTest, ServesAFaviconWithoutASessionAndCached) {
  httplib::Client client = Client();
  httplib::Result icon = client.Get("/favicon.ico");
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->status, 200);
  EXPECT_EQ(icon->get_header_value("Content-Type"), "image/x-icon");
  EXPECT_NE(icon->get_header_value("Cache-Control").find("max-age="), std::string::npos);
  ASSERT_GE(icon->body.size(), 6u);
  EXPECT_EQ(icon->body.substr(0, 4), std::string("\0\0\1\0", 4)) << "an ICO header";
}

TEST_F(ServerTest, ResponsesCarrySecurityHeaders) {
  httplib::Client client = Client();
  httplib::Result page = client.Get("/login");
  ASSERT_TRUE(page);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  EXPECT_EQ(page->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-store");
}

// Each security header once, on pages, on errors the router raised (404,
// 405) and on requests the server refused before any route ran (413).
TEST_F(ServerTest, SecurityHeadersAreSentOnceOnEveryAnswer) {
  httplib::Client client = Client();
  std::vector<httplib::Result> answers;
  answers.push_back(client.Get("/login"));
  answers.push_back(client.Get("/no/such/page"));
  answers.push_back(client.Delete("/login"));
  answers.push_back(client.Get("/api/v1/nothing"));
  answers.push_back(client.Post("/login", std::string(kUploadLimit + 1, 'x'),
                                "application/x-www-form-urlencoded"));
  const std::vector<int> statuses = {200, 404, 405, 404, 413};
  for (size_t i = 0; i < answers.size(); ++i) {
    ASSERT_TRUE(answers[i]) << i;
    EXPECT_EQ(answers[i]->status, statuses[i]) << i;
    for (const char* name : {"Content-Security-Policy", "X-Frame-Options",
                             "X-Content-Type-Options", "Referrer-Policy"}) {
      EXPECT_EQ(answers[i]->get_header_value_count(name), 1u) << name << " on answer " << i;
    }
    // Plain HTTP: no HSTS (server_tls_test checks it under TLS).
    EXPECT_FALSE(answers[i]->has_header("Strict-Transport-Security"));
  }
}

// A %0a or NUL in a path must not forge a line of the log or put a raw NUL in it.
TEST_F(ServerTest, ControlCharactersInPathsAreEscapedInTheLog) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_);
  auto logger = std::make_shared<spdlog::logger>("test", sink);
  logger->set_level(spdlog::level::debug);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(logger);
  httplib::Client client = Client();
  httplib::Result forged = client.Get("/x%0aFORGED%20line");
  // A NUL in a path is refused before any route runs, and logged escaped too.
  httplib::Result nul = client.Get("/y%00nul\x01");
  spdlog::set_default_logger(previous);
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 404);
  ASSERT_TRUE(nul);
  EXPECT_EQ(nul->status, 400);
  const std::string log = log_.str();
  EXPECT_NE(log.find("/x\\x0aFORGED line"), std::string::npos) << log;
  EXPECT_EQ(log.find('\0'), std::string::npos);
  EXPECT_EQ(log.find("\nFORGED"), std::string::npos) << log;
}

TEST_F(ServerTest, ServesTheApiAndHealthWithJsonErrors) {
  httplib::Client client = Client();
  httplib::Result health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  httplib::Result jobs = client.Get("/api/v1/jobs/1");
  ASSERT_TRUE(jobs);
  EXPECT_EQ(jobs->status, 401);
  EXPECT_EQ(jobs->get_header_value("Content-Type"), "application/json");
  EXPECT_NE(jobs->body.find("\"error\""), std::string::npos) << jobs->body;
  // A body over the limit sent to the API gets JSON, not the HTML page.
  httplib::Result big =
      client.Post("/api/v1/jobs", std::string(kUploadLimit + 1, 'x'), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(big->get_header_value("Content-Type"), "application/json");
  // The session cookie opens no API door.
  Browser ana = LogInAs("ana", "admin");
  httplib::Result with_cookie = client.Get("/api/v1/services", ana.headers());
  ASSERT_TRUE(with_cookie);
  EXPECT_EQ(with_cookie->status, 401);
}

TEST(ServerOptionsTest, ParsesListenAddresses) {
  ServerOptions options;
  ASSERT_TRUE(ParseListen("0.0.0.0:9000", options).ok());
  EXPECT_EQ(options.host, "0.0.0.0");
  EXPECT_EQ(options.port, 9000);
  ASSERT_TRUE(ParseListen("[::1]:8081", options).ok());
  EXPECT_EQ(options.host, "::1");
  EXPECT_EQ(options.port, 8081);
  for (const char* bad : {"8080", ":8080", "host:", "host:http", "host:70000", "host:-1"}) {
    Status s = ParseListen(bad, options);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find("HOST:PORT"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace imeiflow::web
