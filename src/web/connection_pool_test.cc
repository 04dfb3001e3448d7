#include "web/connection_pool.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/test_database.h"

namespace imeiflow::web {
namespace {

using ConnectionPoolTest = store::TestDatabase;

TEST_F(ConnectionPoolTest, LendsSeparateConnectionsAndReusesReturnedOnes) {
  ConnectionPool pool(path_, 1);
  store::Database* kept = nullptr;
  {
    Result<ConnectionPool::Lease> a = pool.Acquire();
    Result<ConnectionPool::Lease> b = pool.Acquire();
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(&**a, &**b);  // two threads never share one
    EXPECT_EQ((*a)->path(), path_);
    kept = &**b;
    EXPECT_EQ(pool.idle(), 0u);
  }  // b goes back first and is kept; a finds the pool full (max_idle 1) and closes
  EXPECT_EQ(pool.idle(), 1u);
  Result<ConnectionPool::Lease> again = pool.Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_EQ(&**again, kept);
  EXPECT_TRUE((*again)->Exec("SELECT 1").ok());
}

TEST_F(ConnectionPoolTest, ThreadsNeverShareAConnection) {
  ConnectionPool pool(path_, 4);
  ASSERT_TRUE(db_->Exec("CREATE TABLE hits (n INTEGER)").ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&pool] {
      for (int i = 0; i < 25; ++i) {
        Result<ConnectionPool::Lease> lease = pool.Acquire();
        ASSERT_TRUE(lease.ok()) << lease.status().message();
        ASSERT_TRUE((*lease)->Exec("INSERT INTO hits VALUES (1)").ok());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(Query("SELECT count(*) FROM hits"), "200");
  EXPECT_LE(pool.idle(), 4u);
}

TEST_F(ConnectionPoolTest, FailsWhenTheDatabaseCannotBeOpened) {
  ConnectionPool pool((dir_ / "missing" / "dir" / "x.db").string(), 4);
  EXPECT_FALSE(pool.Acquire().ok());
}

}  // namespace
}  // namespace imeiflow::web
