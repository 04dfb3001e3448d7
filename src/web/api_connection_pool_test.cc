#include "web/api_connection_pool.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/test_database.h"

namespace imeiflow::web {
namespace {

using ApiConnectionPoolTest = store::TestDatabase;

TEST_F(ApiConnectionPoolTest, ReusesIdleConnectionsUpToTheBound) {
  ApiConnectionPool pool(path_, 1);
  store::Database* kept = nullptr;
  {
    Result<ApiConnectionPool::Lease> a = pool.Acquire();
    Result<ApiConnectionPool::Lease> b = pool.Acquire();
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(&a->db(), &b->db());
    kept = &b->db();  // b ends first, so it is the one returned to the pool
    EXPECT_EQ(pool.idle(), 0u);
  }
  EXPECT_EQ(pool.idle(), 1u);  // the second one was closed: only one is kept
  Result<ApiConnectionPool::Lease> again = pool.Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_EQ(&again->db(), kept);
}

TEST_F(ApiConnectionPoolTest, ThreadsNeverShareAConnection) {
  ApiConnectionPool pool(path_, 4);
  ASSERT_TRUE(db_->Exec("CREATE TABLE hits (n INTEGER)").ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&pool] {
      for (int i = 0; i < 25; ++i) {
        Result<ApiConnectionPool::Lease> lease = pool.Acquire();
        ASSERT_TRUE(lease.ok()) << lease.status().message();
        ASSERT_TRUE(lease->db().Exec("INSERT INTO hits VALUES (1)").ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(Query("SELECT count(*) FROM hits"), "200");
  EXPECT_LE(pool.idle(), 4u);
}

TEST(ApiConnectionPoolOpenTest, AnUnopenableFileIsAnError) {
  ApiConnectionPool pool("/nonexistent-folder-imeiflow/x.db", 2);
  EXPECT_FALSE(pool.Acquire().ok());
}

}  // namespace
}  // namespace imeiflow::web
