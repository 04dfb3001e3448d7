#include "web/metrics.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <sstream>

#include "core/clock.h"
#include "store/dispatch_repository.h"
#include "web/api_test_server.h"

namespace imeiflow::web {
namespace {

class MetricsTest : public ApiTestServer {
 protected:
  void SetUp() override {
    ApiTestServer::SetUp();
    ASSERT_TRUE(
        db_->Exec(
               "INSERT INTO calls(service_id, created_at, outcome, latency_ms) VALUES"
               " ('1739', 0, 'applied', 3), ('1739', 0, 'applied', 40),"
               " ('1739', 0, 'applied', 40), ('1739', 0, 'not_applied', 700),"
               " ('1739', 0, 'unknown', 45000), ('1739', 0, NULL, NULL);"
               "INSERT INTO jobs(id, service_id, price_cents, created_at) VALUES (1, '1739', 8, 0);"
               "INSERT INTO items(job_id, line, input, imei, state, updated_at) VALUES"
               " (1, 1, 'a', 'a', 'queued', 0), (1, 2, 'b', 'b', 'queued', 0),"
               " (1, 3, 'c', 'c', 'accepted', 0);"
               "INSERT INTO orders(imei, service_id, status, price_cents, placed_at, updated_at)"
               " VALUES ('a', '1739', 'completed', 8, 0, 0), ('b', '1739', 'rejected', 8, 0, 0),"
               " ('c', '1739', 'pending', 8, 0, 0)")
            .ok());
  }

  // Every sample line of `text` as name{labels} -> value; fails the test on a
  // line that is neither a comment nor a well-formed sample.
  static std::map<std::string, double> Samples(const std::string& text) {
    static const std::regex kSample(
        R"(^([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"\})?) (-?[0-9.eE+-]+|\+Inf)$)");
    static const std::regex kComment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
    std::map<std::string, double> samples;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      std::smatch m;
      if (std::regex_match(line, kComment)) continue;
      EXPECT_TRUE(std::regex_match(line, m, kSample)) << "bad line: " << line;
      if (!m.empty()) samples[m[1]] = std::stod(m[3]);
    }
    return samples;
  }
};

TEST_F(MetricsTest, NeedsAToken) {
  httplib::Result r = client_->Get("/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
}

TEST_F(MetricsTest, TextIsWellFormedWithCountsFromTheDatabase) {
  httplib::Result r = client_->Get("/metrics", Bearer(viewer_token_));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  ASSERT_FALSE(r->body.empty());
  EXPECT_EQ(r->body.back(), '\n');
  std::map<std::string, double> s = Samples(r->body);
  EXPECT_EQ(s["imeiflow_supplier_calls_total{outcome=\"applied\"}"], 3);
  EXPECT_EQ(s["imeiflow_supplier_calls_total{outcome=\"not_applied\"}"], 1);
  EXPECT_EQ(s["imeiflow_supplier_calls_total{outcome=\"unknown\"}"], 1);
  EXPECT_EQ(s["imeiflow_supplier_calls_total{outcome=\"fatal\"}"], 0);
  EXPECT_EQ(s["imeiflow_supplier_calls_open"], 1);
  EXPECT_EQ(s["imeiflow_items{state=\"queued\"}"], 2);
  EXPECT_EQ(s["imeiflow_items{state=\"accepted\"}"], 1);
  EXPECT_EQ(s.count("imeiflow_items{state=\"cancelled\"}"), 1u);
  EXPECT_EQ(s["imeiflow_orders{status=\"pending\"}"], 1);
  EXPECT_EQ(s["imeiflow_orders_synced_total"], 2);
  EXPECT_EQ(s["imeiflow_dispatch_in_flight_limit"], 17);
  EXPECT_EQ(s["imeiflow_dispatch_in_flight"], 12);
}

TEST_F(MetricsTest, TodaysMoneyIsChargedMinusRefunded) {
  ASSERT_TRUE(db_->Exec(fmt::format("INSERT INTO spending(day, cents, refunded_cents)"
                                    " VALUES ('{}', 40, 8), ('2001-01-01', 900, 0)",
                                    store::UtcDay(SystemClock().NowMs())))
                  .ok());
  httplib::Result r = client_->Get("/metrics", Bearer(viewer_token_));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  std::map<std::string, double> s = Samples(r->body);
  EXPECT_DOUBLE_EQ(s["imeiflow_money_today_dollars{figure=\"charged\"}"], 0.40);
  EXPECT_DOUBLE_EQ(s["imeiflow_money_today_dollars{figure=\"refunded\"}"], 0.08);
  EXPECT_DOUBLE_EQ(s["imeiflow_money_today_dollars{figure=\"spent\"}"], 0.32);
}

TEST_F(MetricsTest, LatencyHistogramIsCumulativeAndConsistent) {
  std::map<std::string, double> s = Samples(client_->Get("/metrics", Bearer(viewer_token_))->body);
  const std::string name = "imeiflow_supplier_call_latency_seconds";
  double previous = 0;
  size_t buckets = 0;
  for (int64_t le_ms : LatencyBucketsMs()) {
    std::ostringstream key;
    key << name << "_bucket{le=\"" << le_ms / 1000.0 << "\"}";
    ASSERT_EQ(s.count(key.str()), 1u) << key.str();
    EXPECT_GE(s[key.str()], previous) << key.str();
    previous = s[key.str()];
    ++buckets;
  }
  EXPECT_EQ(buckets, LatencyBucketsMs().size());
  double inf = s[name + "_bucket{le=\"+Inf\"}"];
  EXPECT_GE(inf, previous);
  EXPECT_EQ(inf, 5);  // calls with a latency; the open call has none
  EXPECT_EQ(s[name + "_count"], inf);
  EXPECT_DOUBLE_EQ(s[name + "_sum"], (3 + 40 + 40 + 700 + 45000) / 1000.0);
  EXPECT_EQ(s[name + "_bucket{le=\"0.005\"}"], 1);
  EXPECT_EQ(s[name + "_bucket{le=\"0.05\"}"], 3);
  EXPECT_EQ(s[name + "_bucket{le=\"1\"}"], 4);
  EXPECT_EQ(s[name + "_bucket{le=\"30\"}"], 4);
}

TEST_F(MetricsTest, WithoutAnEngineThereIsNoInFlightLimit) {
  Result<std::string> text = MetricsText(*db_, LiveEngineStats{});
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(text->find("imeiflow_dispatch_in_flight"), std::string::npos);
  EXPECT_NE(text->find("imeiflow_items{state=\"queued\"} 2\n"), std::string::npos);
}

TEST_F(MetricsTest, HealthzAnswersOkWithoutAToken) {
  httplib::Result r = client_->Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok\n");
}

class UnreachableDatabaseTest : public ApiTestServer {
 protected:
  void ConfigureContext(ApiContext& ctx) override {
    missing_ = std::make_unique<ConnectionPool>((dir_ / "no-such-folder" / "x.db").string(), 1);
    ctx.connections = missing_.get();
  }
  std::unique_ptr<ConnectionPool> missing_;  // a pool whose file cannot be opened
};

TEST_F(UnreachableDatabaseTest, Healthz503AndApi503WhenTheDatabaseCannotBeOpened) {
  httplib::Result health = client_->Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  EXPECT_EQ(health->body, "database unavailable\n");
  httplib::Result api = client_->Get("/api/v1/services", Bearer(viewer_token_));
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 503);
  EXPECT_EQ(api->get_header_value("Content-Type"), "application/json");
}

}  // namespace
}  // namespace imeiflow::web
