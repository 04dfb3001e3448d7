// ApiTestServer: a gtest fixture running the API, /metrics and /healthz on a
// real cpp-httplib server on 127.0.0.1 (a free port), over a real database
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

    ctx_.database_path = path_;
    ctx_.clock = &clock_;
    ctx_.live_stats = [] { return LiveEngineStats{17, 12}; };
    ConfigureContext(ctx_);
    RegisterApiRoutes(server_, ctx_);
    RegisterMetricsRoutes(server_, ctx_);
    server_.set_error_handler(httplib::Server::HandlerWithResponse(HandleApiError));
    server_.set_tcp_nodelay(true);  // as a real server should (docs/BENCHMARKS.md)
    port_ = server_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    listener_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }
  void TearDown() override {
    client_.reset();
    server_.stop();
    if (listener_.joinable()) listener_.join();
    TestDatabase::TearDown();
  }

  /// Lets a test change the context before the routes are registered.
  virtual void ConfigureContext(ApiContext&) {}

  /// The Authorization header for `token`.
  static httplib::Headers Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  FakeClock clock_;
  ApiContext ctx_;
  httplib::Server server_;
  int port_ = 0;
  std::thread listener_;
  std::unique_ptr<httplib::Client> client_;
  std::string operator_token_;
  std::string viewer_token_;
  std::string admin_token_;
};

}  // namespace imeiflow::web
