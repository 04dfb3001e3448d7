#include "store/order_json.h"

#include <gtest/gtest.h>

namespace imeiflow::store {
namespace {

TEST(OrderJsonTest, HasTheCommandFieldsTheCodeAndEveryParsedField) {
  OrderRecord order;
  order.id = 7;
  order.upstream_id = "U1";
  order.imei = "352099001761481";
  order.service_id = "1739";
  order.status = OrderStatus::kCompleted;
  order.price = Money::FromCents(8);
  order.job_id = 3;
  order.placed_at = 1'795'926'197'000;
  order.code = "Model: iPhone 13 - Carrier: Unlocked";
  order.fields = ParseResultCode(order.code).fields;
  nlohmann::json json = OrderJson(order);
  EXPECT_EQ(json["id"], 7);
  EXPECT_EQ(json["upstream_id"], "U1");
  EXPECT_EQ(json["imei"], "352099001761481");
  EXPECT_EQ(json["service_id"], "1739");
  EXPECT_EQ(json["status"], "completed");
  EXPECT_EQ(json["price"], "0.08");
  EXPECT_EQ(json["job"], 3);
  EXPECT_EQ(json["placed_at"], "2026-11-29T04:23:17Z");
  EXPECT_EQ(json["code"], order.code);
  EXPECT_EQ(json["fields"]["model"], "iPhone 13");
  EXPECT_EQ(json["fields"]["carrier"], "Unlocked");
  EXPECT_EQ(json["fields"].size(), ResultFieldColumns().size());
  for (const ResultFieldColumn& column : ResultFieldColumns()) {
    EXPECT_TRUE(json["fields"].contains(std::string(column.name))) << column.name;
  }
}

TEST(OrderJsonTest, UnknownIdsJobAndCodeAreNull) {
  OrderRecord order;
  order.status = OrderStatus::kUnconfirmed;
  nlohmann::json json = OrderJson(order);
  EXPECT_TRUE(json["upstream_id"].is_null());
  EXPECT_TRUE(json["job"].is_null());
  EXPECT_TRUE(json["code"].is_null());
  EXPECT_EQ(json["fields"]["fmi"], "");
}

}  // namespace
}  // namespace imeiflow::store
