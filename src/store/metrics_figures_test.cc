#include "store/metrics_figures.h"

#include <gtest/gtest.h>

#include <array>

#include "store/job_repository.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class MetricsFiguresTest : public TestDatabase {};

TEST_F(MetricsFiguresTest, CountsCallsLatencyItemsAndOrders) {
  ASSERT_TRUE(db_->Exec("INSERT INTO calls(service_id, created_at, outcome, latency_ms) VALUES"
                        " ('1739', 1, 'applied', 4), ('1739', 2, 'applied', 30),"
                        " ('1739', 3, 'unknown', 2000), ('1739', 4, NULL, NULL)")
                  .ok());
  NewJob job;
  job.service_id = "1739";
  ASSERT_TRUE(JobRepository(*db_)
                  .Create(job,
                          {{1, "352099001761481", "352099001761481", true, ""},
                           {2, "x", "x", false, "contains letters"}},
                          0)
                  .ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(upstream_id, imei, service_id, status, price_cents,"
                        " placed_at, updated_at) VALUES ('u1', '352099001761481', '1739',"
                        " 'completed', 8, 0, 0)")
                  .ok());
  constexpr std::array<int64_t, 3> kBounds = {5, 50, 5000};
  Result<MetricsFigures> figures = LoadMetricsFigures(*db_, kBounds);
  ASSERT_TRUE(figures.ok()) << figures.status().message();
  EXPECT_EQ(figures->calls_by_outcome,
            (std::map<std::string, int64_t>{{"", 1}, {"applied", 2}, {"unknown", 1}}));
  EXPECT_EQ(figures->latency.count, 3);
  EXPECT_EQ(figures->latency.sum_ms, 2034);
  EXPECT_EQ(figures->latency.at_most, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(figures->items_by_state,
            (std::map<std::string, int64_t>{{"invalid", 1}, {"queued", 1}}));
  EXPECT_EQ(figures->orders_by_status, (std::map<std::string, int64_t>{{"completed", 1}}));
  EXPECT_TRUE(Ping(*db_).ok());
}

TEST_F(MetricsFiguresTest, AnEmptyDatabaseHasNoCounts) {
  constexpr std::array<int64_t, 1> kBounds = {5};
  Result<MetricsFigures> figures = LoadMetricsFigures(*db_, kBounds);
  ASSERT_TRUE(figures.ok()) << figures.status().message();
  EXPECT_TRUE(figures->calls_by_outcome.empty());
  EXPECT_EQ(figures->latency.count, 0);
  EXPECT_EQ(figures->latency.at_most, (std::vector<int64_t>{0}));
}

}  // namespace
}  // namespace imeiflow::store
