// The API and /metrics on the web application's own server (web::Server:
// its routes, error handler, security headers and thread pool), wired
// through ApiContextFor by RegisterRoutes.
#include "web/api_context.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store/token_repository.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

class ApiOnWebServerTest : public WebServerTest {
 protected:
  std::string TokenFor(const std::string& name, const std::string& role) {
    AddUser(name, role, "a long enough password");
    Result<store::NewToken> token = store::TokenRepository(*db_).Create(name, "", "test", 0);
    EXPECT_TRUE(token.ok());
    return token.ok() ? token->secret : "";
  }
};

TEST_F(ApiOnWebServerTest, JsonErrorsSurviveTheServersErrorPages) {
  std::string token = TokenFor("vic", "viewer");
  httplib::Client client = Client();
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  httplib::Result missing = client.Get("/api/v1/jobs/7", auth);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(missing->body)["error"], "no job 7");
  httplib::Result forbidden = client.Post(
      "/api/v1/jobs", auth, R"({"service_id": "1", "imeis": ["x"]})", "application/json");
  ASSERT_TRUE(forbidden);
  EXPECT_EQ(forbidden->status, 403);
  EXPECT_EQ(forbidden->get_header_value("Content-Type"), "application/json");
  httplib::Result services = client.Get("/api/v1/services", auth);
  ASSERT_TRUE(services);
  EXPECT_EQ(services->status, 200);
  EXPECT_EQ(services->body, R"({"services":[]})");

  // A body over the server's upload limit: the server refuses it before any
  // route runs, and under /api/ the answer is still JSON.
  std::string huge(kUploadLimit + 1, ' ');
  httplib::Result too_large = client.Post("/api/v1/jobs", auth, huge, "application/json");
  ASSERT_TRUE(too_large);
  EXPECT_EQ(too_large->status, 413);
  EXPECT_EQ(too_large->get_header_value("Content-Type"), "application/json");
  EXPECT_TRUE(nlohmann::json::parse(too_large->body).contains("error")) << too_large->body;
}

// Issue 11 (seams): one connection pool per server. The API and /metrics
// each had a pool of their own beside the pages'.
TEST_F(ApiOnWebServerTest, TheApiAndMetricsLeaseFromThePagesPool) {
  std::string token = TokenFor("vic", "viewer");
  httplib::Client client = Client();
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  ASSERT_EQ(web_->connections.idle(), 0u);
  ASSERT_EQ(client.Get("/api/v1/services", auth)->status, 200);
  EXPECT_EQ(web_->connections.idle(), 1u);
  ASSERT_EQ(client.Get("/metrics", auth)->status, 200);
  ASSERT_EQ(client.Get("/healthz")->status, 200);
  EXPECT_EQ(web_->connections.idle(), 1u) << "the one connection is reused";
}

TEST_F(ApiOnWebServerTest, MetricsShowTheRunningDispatchersLimit) {
  std::string token = TokenFor("vic", "viewer");
  httplib::Client client = Client();
  httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  EXPECT_EQ(client.Get("/metrics", auth)->body.find("imeiflow_dispatch_in_flight_limit"),
            std::string::npos);
  DispatcherStatus running;
  running.state = DispatcherState::kRunning;
  running.stats.limit = 23;
  running.stats.in_flight = 5;
  web_->engine.SetDispatcher(running);
  std::string text = client.Get("/metrics", auth)->body;
  EXPECT_NE(text.find("imeiflow_dispatch_in_flight_limit 23\n"), std::string::npos) << text;
  EXPECT_NE(text.find("imeiflow_dispatch_in_flight 5\n"), std::string::npos) << text;
  EXPECT_EQ(client.Get("/healthz")->body, "ok\n");
}

}  // namespace
}  // namespace imeiflow::web
