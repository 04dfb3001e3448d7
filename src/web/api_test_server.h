// ApiTestServer: a gtest fixture running the API, /metrics and /healthz on a
// real HttpServer on 127.0.0.1 (a free port), over a real database
// file in a temporary folder, with users ann (operator), vic (viewer) and
// root (admin), each with a token, and two cached services. For the web
// tests only. Not thread-safe (the server's own threads aside).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "store/test_database.h"
#include "store/token_repository.h"
#include "web/api_context.h"
#include "web/api_response.h"
#include "web/api_routes.h"
#include "web/connection_pool.h"
#include "web/http_server.h"
#include "web/metrics.h"

namespace imeiflow::web {

/// The fixture.
class ApiTestServer : public store::TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    ASSERT_TRUE(db_->Exec("INSERT INTO users(name, role, password_hash, created_at) VALUES"
                          " ('ann', 'operator', 'x', 0), ('vic', 'viewer', 'x', 0),"
                          " ('root', 'admin', 'x', 0);"
                          "INSERT INTO services(id, category, title, price_cents, delivery,"
                          " fetched_at) VALUES"
                          " ('1739', 'Apple', 'iPhone Carrier + FMI Check', 8, '1-5 Minutes', 0),"
                          " ('2001', 'Samsung', 'Samsung Info', 125, 'Instant', 0)")
                    .ok());
    store::TokenRepository tokens(*db_);
    operator_token_ = tokens.Create("ann", "", "test", 0)->secret;
    viewer_token_ = tokens.Create("vic", "", "test", 0)->secret;
    admin_token_ = tokens.Create("root", "", "test", 0)->secret;

    pool_ = std::make_unique<ConnectionPool>(path_, 8);
    ctx_.connections = pool_.get();
    ctx_.clock = &clock_;
    ctx_.live_stats = [] { return LiveEngineStats{17, 12}; };
    ConfigureContext(ctx_);
    RegisterApiRoutes(router_, ctx_);
    RegisterMetricsRoutes(router_, ctx_);
    HttpServerOptions options;
    options.port = 0;
    options.body_limit_bytes = body_limit_;
    Result<std::unique_ptr<HttpServer>> server = HttpServer::Create(
        options,
        [this](HttpRequest& request, HttpResponse& response) {
          if (router_.Dispatch(request, response) != Router::Match::kHandled) response.status = 404;
          if (response.status >= 400) HandleApiError(request, response, body_limit_);
        },
        [this](const HttpRequest& request, HttpResponse& response) {
          HandleApiError(request, response, body_limit_);
        });
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(*server);
    ASSERT_TRUE(server_->Bind().ok());
    port_ = server_->port();
    listener_ = std::thread([this] { EXPECT_TRUE(server_->Run().ok()); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }
  void TearDown() override {
    client_.reset();
    server_->Stop();
    if (listener_.joinable()) listener_.join();
    TestDatabase::TearDown();
  }

  /// Lets a test change the context before the routes are registered.
  virtual void ConfigureContext(ApiContext&) {}

  /// The Authorization header for `token`.
  static httplib::Headers Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  /// The largest body the test server reads (ConfigureContext may lower it).
  size_t body_limit_ = size_t{20} << 20;

  FakeClock clock_;
  std::unique_ptr<ConnectionPool> pool_;  // the server's one pool
  ApiContext ctx_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
  std::thread listener_;
  std::unique_ptr<httplib::Client> client_;
  std::string operator_token_;
  std::string viewer_token_;
  std::string admin_token_;
};

}  // namespace imeiflow::web
