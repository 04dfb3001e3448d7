#include "store/order_status.h"

#include <gtest/gtest.h>

#include <string>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

TEST(OrderStatusTest, NamesAndParsesEveryStatusOnce) {
  for (OrderStatus s : kAllOrderStatuses) {
    EXPECT_EQ(ParseOrderStatus(OrderStatusName(s)), s) << OrderStatusName(s);
  }
  EXPECT_EQ(ParseOrderStatus("in_process"), OrderStatus::kInProcess);
  EXPECT_FALSE(ParseOrderStatus("In Process").has_value());  // the supplier's word, not ours
  EXPECT_FALSE(ParseOrderStatus("").has_value());
}

TEST(OrderStatusTest, OnlyCompletedAndRejectedAreFinal) {
  EXPECT_TRUE(IsFinalOrderStatus("completed"));
  EXPECT_TRUE(IsFinalOrderStatus("rejected"));
  EXPECT_FALSE(IsFinalOrderStatus("pending"));
  EXPECT_FALSE(IsFinalOrderStatus("in_process"));
  EXPECT_FALSE(IsFinalOrderStatus("unconfirmed"));
  EXPECT_FALSE(IsFinalOrderStatus("bogus"));
}

class OrderStatusTableTest : public TestDatabase {};

// The schema's CHECK accepts exactly these names.
TEST_F(OrderStatusTableTest, TheTableAcceptsEveryNameAndNothingElse) {
  for (OrderStatus s : kAllOrderStatuses) {
    EXPECT_TRUE(db_->Exec("INSERT INTO orders(imei, service_id, status, price_cents, placed_at,"
                          " updated_at) VALUES ('352099001761481', '1739', '" +
                          std::string(OrderStatusName(s)) + "', 8, 0, 0)")
                    .ok())
        << OrderStatusName(s);
  }
  EXPECT_FALSE(db_->Exec("INSERT INTO orders(imei, service_id, status, price_cents, placed_at,"
                         " updated_at) VALUES ('352099001761481', '1739', 'complete', 8, 0, 0)")
                   .ok());
}

}  // namespace
}  // namespace imeiflow::store
