#include "store/order_repository.h"

#include <gtest/gtest.h>

#include <algorithm>

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
  by_status.status = OrderStatus::kPending;
  EXPECT_EQ(orders.Find(by_status)->size(), 1u);
  OrderFilter by_service;
  by_service.service_id = "2001";
  EXPECT_EQ(orders.Find(by_service)->front().status, OrderStatus::kUnconfirmed);
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

// The detail lines of SQLite's plan for `sql`, joined by newlines.
std::string QueryPlan(Database& db, const std::string& sql) {
  Result<Statement> plan = db.Prepare("EXPLAIN QUERY PLAN " + sql);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  if (!plan.ok()) return "";
  std::string details;
  for (Result<bool> row = plan->Step(); row.ok() && *row; row = plan->Step()) {
    details += plan->ColumnText(3) + "\n";
  }
  return details;
}

TEST_F(OrderRepositoryTest, AJobsCountAndListingReadTheJobsIndex) {
  OrderFilter by_job;
  by_job.job_id = 1;
  std::string count = QueryPlan(*db_, OrderCountSql(by_job, false));
  EXPECT_NE(count.find("USING COVERING INDEX orders_by_job (job_id=?)"), std::string::npos)
      << count;
  std::string listing = QueryPlan(*db_, OrderSelectSql(by_job, true, false));
  EXPECT_NE(listing.find("USING INDEX orders_by_job (job_id=?)"), std::string::npos) << listing;
  // Newest first comes from walking the index, not from sorting the job's orders.
  EXPECT_EQ(listing.find("TEMP B-TREE"), std::string::npos) << listing;

  OrderRepository orders(*db_);
  EXPECT_EQ(*orders.Count(by_job), 2);
  by_job.limit = 1;
  EXPECT_EQ(orders.Find(by_job)->front().upstream_id, "u2");
}

TEST_F(OrderRepositoryTest, FindByIdReturnsThatOrderOrNothing) {
  OrderRepository orders(*db_);
  OrderFilter pending;
  pending.status = OrderStatus::kPending;
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
  pending.status = OrderStatus::kPending;
  int64_t id = orders.Find(pending)->front().id;
  std::string code =
      "Model: iPhone 13 Pro - IMEI: 490154203237518 - IMEI2: 490154203237526"
      " - Carrier: T-Mobile - SimLock: Locked - Find My iPhone: <font color=red>ON</font>";
  ASSERT_TRUE(orders.SetResult(id, OrderStatus::kCompleted, code, 900).ok());

  OrderFilter completed;
  completed.service_id = "1739";
  completed.status = OrderStatus::kCompleted;
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
  EXPECT_EQ((*all)[0].imei, "356938035643809");  // in the list's order
  EXPECT_EQ((*all)[1].imei, "352099001761481");
  EXPECT_EQ((*all)[2].imei, "490154203237518");
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

TEST_F(OrderRepositoryTest, ListedSearchKeepsThePastedOrderWithNotFoundRows) {
  OrderRepository orders(*db_);
  OrderFilter filter;
  filter.imeis = {"490154203237518", "353918050423364", "352099001761481", "490154203237518"};
  Result<std::vector<ListedOrder>> rows = orders.FindListed(filter);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);  // a repeat of the list is listed once
  EXPECT_EQ((*rows)[0].imei, "490154203237518");
  ASSERT_TRUE((*rows)[0].order.has_value());
  EXPECT_EQ((*rows)[0].order->upstream_id, "u2");
  EXPECT_EQ((*rows)[1].imei, "353918050423364");
  EXPECT_FALSE((*rows)[1].order.has_value());
  EXPECT_EQ((*rows)[2].order->upstream_id, "u1");
  EXPECT_EQ(*orders.Count(filter, true), 3);
  EXPECT_EQ(*orders.Count(filter), 2);
  // A filter the IMEI's order does not match makes it a "no order" row.
  filter.status = OrderStatus::kCompleted;
  rows = orders.FindListed(filter);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_FALSE((*rows)[0].order.has_value());
  EXPECT_TRUE((*rows)[2].order.has_value());
  filter.limit = 1;
  filter.offset = 1;
  rows = orders.FindListed(filter);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().imei, "353918050423364");
}

TEST_F(OrderRepositoryTest, CountsWhatTheFilterMatches) {
  OrderRepository orders(*db_);
  EXPECT_EQ(*orders.Count({}), 3);
  OrderFilter by_service;
  by_service.service_id = "1739";
  EXPECT_EQ(*orders.Count(by_service), 2);
}

TEST_F(OrderRepositoryTest, AnUnknownStoredStatusIsCorruptionNamingTheOrder) {
  // The schema's CHECK refuses such a status; a database written by other
  // tools (or an older build) need not have it.
  ASSERT_TRUE(db_->Exec("PRAGMA ignore_check_constraints = ON;"
                        "UPDATE orders SET status = 'complete' WHERE upstream_id = 'u1'")
                  .ok());
  Result<std::vector<OrderRecord>> all = OrderRepository(*db_).Find({});
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(all.status().message().find("order 1 "), std::string::npos) << all.status().message();
  EXPECT_NE(all.status().message().find("\"complete\""), std::string::npos);
}

// Stores `code` as the result of a new order of `imei` and returns its id.
int64_t OrderWithCode(Database& db, const std::string& imei, const std::string& code) {
  EXPECT_TRUE(db.Exec("INSERT INTO orders(imei, service_id, status, price_cents, placed_at,"
                      " updated_at) VALUES ('" + imei + "', '9', 'pending', 1, 500, 500)")
                  .ok());
  int64_t id = db.LastInsertId();
  EXPECT_TRUE(OrderRepository(db).SetResult(id, OrderStatus::kCompleted, code, 600).ok());
  return id;
}

std::vector<int64_t> IdsOf(Result<std::vector<OrderRecord>> found) {
  std::vector<int64_t> ids;
  EXPECT_TRUE(found.ok()) << found.status().message();
  if (found.ok()) {
    for (const OrderRecord& o : *found) ids.push_back(o.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST_F(OrderRepositoryTest, ResultFiltersReadTheSuppliersWords) {
  Database& db = *db_;
  // The spellings of the simulator's checkers and of suppliers seen in the wild.
  int64_t on = OrderWithCode(db, "111111111111111", "Find My iPhone: ON - SimLock: Locked");
  int64_t on_html = OrderWithCode(db, "111111111111112",
                                  "FMI: <font color=red>On</font> (Lost Mode)<br>Sim-Lock Status: "
                                  "Locked<br>Carrier: AT&amp;T USA - Locked Policy");
  int64_t off = OrderWithCode(db, "111111111111113", "iCloud Lock: OFF - SimLock: Unlocked");
  int64_t clean = OrderWithCode(db, "111111111111114",
                                "Carrier: T-Mobile USA - Current GSMA Status: Clean");
  int64_t black = OrderWithCode(db, "111111111111115", "Current GSMA Status: Blacklisted");
  int64_t lost = OrderWithCode(db, "111111111111116", "Blacklist Status: Lost/Stolen");
  int64_t not_black = OrderWithCode(db, "111111111111117", "GSMA Status: Not Blacklisted");
  OrderRepository orders(db);
  auto find = [&](auto set) {
    OrderFilter f;
    set(f);
    return IdsOf(orders.Find(f));
  };
  using Ids = std::vector<int64_t>;
  EXPECT_EQ(find([](OrderFilter& f) { f.fmi = FmiFilter::kOn; }), (Ids{on, on_html}));
  EXPECT_EQ(find([](OrderFilter& f) { f.fmi = FmiFilter::kOff; }), (Ids{off}));
  EXPECT_EQ(find([](OrderFilter& f) { f.simlock = SimlockFilter::kLocked; }), (Ids{on, on_html}));
  EXPECT_EQ(find([](OrderFilter& f) { f.simlock = SimlockFilter::kUnlocked; }), (Ids{off}));
  EXPECT_EQ(find([](OrderFilter& f) { f.blacklisted = true; }), (Ids{black, lost}));
  EXPECT_EQ(find([](OrderFilter& f) { f.blacklisted = false; }), (Ids{clean, not_black}));
  EXPECT_EQ(find([](OrderFilter& f) { f.carrier = "at&t"; }), (Ids{on_html}));
  EXPECT_EQ(find([](OrderFilter& f) { f.code = "LOST"; }), (Ids{on_html, lost}));
  EXPECT_EQ(find([](OrderFilter& f) {
              f.fmi = FmiFilter::kOn;
              f.carrier = "t-mobile";
            }),
            Ids{});
}

TEST_F(OrderRepositoryTest, OrdersKnownOnlyFromTheExportSaySoUntilFinal) {
  OrderRecord imported;
  imported.status = OrderStatus::kPending;
  EXPECT_TRUE(IsKnownFromExportOnly(imported));
  EXPECT_EQ(OrderStateText(imported), kKnownFromExportWord);
  imported.status = OrderStatus::kCompleted;
  EXPECT_FALSE(IsKnownFromExportOnly(imported));
  EXPECT_EQ(OrderStateText(imported), "completed");
  OrderRecord placed;
  placed.status = OrderStatus::kInProcess;
  placed.upstream_id = "u9";
  EXPECT_FALSE(IsKnownFromExportOnly(placed));
  EXPECT_EQ(OrderStateText(placed), "in process");
  OrderRecord unconfirmed;  // charged by a job; its id is still to come
  unconfirmed.status = OrderStatus::kUnconfirmed;
  EXPECT_FALSE(IsKnownFromExportOnly(unconfirmed));
  EXPECT_EQ(OrderStateText(unconfirmed), "charged, order id not known yet");
}

}  // namespace
}  // namespace imeiflow::store
