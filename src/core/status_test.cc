#include "core/status.h"

#include <gtest/gtest.h>

namespace imeiflow {
namespace {

Result<int> Half(int n) {
  if (n % 2) return Status::InvalidArgument("odd");
  return n / 2;
}

TEST(StatusTest, ResultHoldsValueOrStatus) {
  EXPECT_TRUE(Half(4).ok());
  EXPECT_EQ(*Half(4), 2);
  Result<int> r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "odd");
  EXPECT_TRUE(Status::Ok().ok());
}

}  // namespace
}  // namespace imeiflow
