#include "web/connection_pool.h"

#include <gtest/gtest.h>

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
  }  // b goes back first and is kept; a finds the pool full (max_idle 1) and closes
  Result<ConnectionPool::Lease> again = pool.Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(&**again, kept);
  EXPECT_TRUE((*again)->Exec("SELECT 1").ok());
}

TEST_F(ConnectionPoolTest, FailsWhenTheDatabaseCannotBeOpened) {
  ConnectionPool pool((dir_ / "missing" / "dir" / "x.db").string(), 4);
  EXPECT_FALSE(pool.Acquire().ok());
}

}  // namespace
}  // namespace imeiflow::web
