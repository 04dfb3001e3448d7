#include "store/order_repository.h"

#include <gtest/gtest.h>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class OrderRepositoryTest : public TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    ASSERT_TRUE(
        db_->Exec(
               "INSERT INTO jobs(id, service_id, price_cents, created_at) VALUES (1, '1739', 8, 0);"
               "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, job_id,"
               " placed_at, updated_at, code) VALUES"
               " ('u1', '352099001761481', '1739', 'completed', 8, 1, 100, 100, 'Model: iPhone'),"
               " ('u2', '490154203237518', '1739', 'pending', 8, 1, 200, 200, NULL),"
               " (NULL, '356938035643809', '2001', 'unconfirmed', 5, NULL, 300, 300, NULL)")
            .ok());
  }
};

TEST_F(OrderRepositoryTest, FiltersNewestFirst) {
  OrderRepository orders(*db_);
  Result<std::vector<OrderRecord>> all = orders.Find({});
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].imei, "356938035643809");
  EXPECT_EQ((*all)[0].upstream_id, "");
  EXPECT_FALSE((*all)[0].job_id.has_value());
  EXPECT_EQ((*all)[2].code, "Model: iPhone");
  EXPECT_EQ((*all)[2].price, Money::FromCents(8));

  OrderFilter by_status;
  by_status.status = "pending";
  EXPECT_EQ(orders.Find(by_status)->size(), 1u);
  OrderFilter by_service;
  by_service.service_id = "2001";
  EXPECT_EQ(orders.Find(by_service)->front().status, "unconfirmed");
  OrderFilter by_job;
  by_job.job_id = 1;
  by_job.since_ms = 150;
  ASSERT_EQ(orders.Find(by_job)->size(), 1u);
  EXPECT_EQ(orders.Find(by_job)->front().upstream_id, "u2");
  OrderFilter page;
  page.limit = 1;
  page.offset = 1;
  EXPECT_EQ(orders.Find(page)->front().upstream_id, "u2");
}

TEST_F(OrderRepositoryTest, FindByIdReturnsThatOrderOrNothing) {
  OrderRepository orders(*db_);
  OrderFilter pending;
  pending.status = "pending";
  int64_t id = orders.Find(pending)->front().id;
  Result<std::optional<OrderRecord>> found = orders.FindById(id);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->upstream_id, "u2");
  Result<std::optional<OrderRecord>> none = orders.FindById(id + 1000);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(OrderRepositoryTest, SetResultKeepsTheCodeAndStoresItsParsedFields) {
  OrderRepository orders(*db_);
  OrderFilter pending;
  pending.status = "pending";
  int64_t id = orders.Find(pending)->front().id;
  std::string code =
      "Model: iPhone 13 Pro - IMEI: 490154203237518 - IMEI2: 490154203237526"
      " - Carrier: T-Mobile - SimLock: Locked - Find My iPhone: <font color=red>ON</font>";
  ASSERT_TRUE(orders.SetResult(id, "completed", code, 900).ok());

  OrderFilter completed;
  completed.service_id = "1739";
  completed.status = "completed";
  Result<std::vector<OrderRecord>> found = orders.Find(completed);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  const OrderRecord& o = found->front();
  EXPECT_EQ(o.id, id);
  EXPECT_EQ(o.code, code);
  EXPECT_EQ(o.fields.model, "iPhone 13 Pro");
  EXPECT_EQ(o.fields.imei, "490154203237518");
  EXPECT_EQ(o.fields.imei2, "490154203237526");
  EXPECT_EQ(o.fields.carrier, "T-Mobile");
  EXPECT_EQ(o.fields.simlock, "Locked");
  EXPECT_EQ(o.fields.fmi, "ON");
  EXPECT_EQ(QueryText(*db_, "SELECT code_imei || '/' || updated_at FROM orders WHERE id = " +
                                std::to_string(id)),
            "490154203237518/900");
  EXPECT_EQ(found->back().fields, ResultFields());
}

TEST_F(OrderRepositoryTest, SearchesByAListOfImeisAndReportsTheMissing) {
  OrderRepository orders(*db_);
  std::vector<std::string> wanted = {"352099001761481", "353918050423364", "356938035643809"};
  for (int i = 0; i < 50000; ++i) wanted.push_back("99" + std::to_string(1000000000000 + i));
  OrderFilter filter;
  filter.imeis = wanted;
  Result<std::vector<OrderRecord>> found = orders.Find(filter);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->size(), 2u);
  Result<std::vector<std::string>> missing = orders.Missing(wanted);
  ASSERT_TRUE(missing.ok());
  ASSERT_EQ(missing->size(), 50001u);
  EXPECT_EQ(missing->front(), "353918050423364");
}

TEST_F(OrderRepositoryTest, UntilEndsTheDateRange) {
  OrderRepository orders(*db_);
  OrderFilter range;
  range.since_ms = 100;
  range.until_ms = 300;  // exclusive
  Result<std::vector<OrderRecord>> found = orders.Find(range);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].upstream_id, "u2");
  EXPECT_EQ((*found)[1].upstream_id, "u1");
}

TEST_F(OrderRepositoryTest, ImeiListCombinesWithTheOtherFilters) {
  OrderRepository orders(*db_);
  OrderFilter filter;
  // Repeats in the list do not repeat orders.
  filter.imeis = {"356938035643809", "352099001761481", "490154203237518", "352099001761481"};
  Result<std::vector<OrderRecord>> all = orders.Find(filter);
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].imei, "356938035643809");  // newest first
  EXPECT_EQ((*all)[2].imei, "352099001761481");
  filter.service_id = "1739";
  filter.until_ms = 200;
  Result<std::vector<OrderRecord>> some = orders.Find(filter);
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ(some->front().upstream_id, "u1");
}

TEST_F(OrderRepositoryTest, ForEachVisitsEveryMatchIgnoringThePage) {
  OrderRepository orders(*db_);
  OrderFilter filter;
  filter.limit = 1;
  filter.offset = 1;
  std::vector<std::string> seen;
  Status s = orders.ForEach(filter, [&](const OrderRecord& o) {
    seen.push_back(o.imei);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(seen,
            (std::vector<std::string>{"356938035643809", "490154203237518", "352099001761481"}));
}

TEST_F(OrderRepositoryTest, ForEachStopsAtTheVisitorsError) {
  OrderRepository orders(*db_);
  int visits = 0;
  Status s = orders.ForEach({}, [&](const OrderRecord&) {
    ++visits;
    return Status::IoError("disk full");
  });
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(visits, 1);
}

}  // namespace
}  // namespace imeiflow::store
