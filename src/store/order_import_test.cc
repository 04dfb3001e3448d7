#include "store/order_import.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/order_repository.h"
#include "store/review_repository.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

constexpr int64_t kNow = 1796000000000;
constexpr int64_t kPlaced = 1796020200000;  // 2026-11-30 06:30:00 UTC

ImportRow Row(std::string service, std::string imei, std::string status, std::string code,
              int64_t placed_at = kPlaced, int line = 2) {
  ImportRow row;
  row.line = line;
  row.service = std::move(service);
  row.imei = std::move(imei);
  row.price = Money::FromCents(8);
  row.status = std::move(status);
  row.code = std::move(code);
  row.placed_at = placed_at;
  return row;
}

class OrderImportTest : public TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    ASSERT_TRUE(db_->Exec("INSERT INTO services(id, title, price_cents, fetched_at) VALUES"
                          " ('1739', 'iPhone Check', 8, 0), ('2001', 'Carrier Check', 5, 0),"
                          " ('3001', 'Same Title', 1, 0), ('3002', 'Same Title', 1, 0);"
                          "INSERT INTO jobs(id, service_id, price_cents, created_at)"
                          " VALUES (1, '1739', 8, 0);")
                    .ok());
  }

  Result<ImportCounts> Import(const std::vector<ImportRow>& rows, std::vector<ImportError>* errors,
                              int64_t now = kNow) {
    return OrderImporter(*db_).Import(rows, "test", "file.csv", now, errors);
  }

  // Every row of the tables an import may touch, as text.
  std::string Dump() {
    return Query(
        "SELECT (SELECT group_concat(r, '|') FROM (SELECT quote(id) || quote(upstream_id) ||"
        " quote(imei) || quote(service_id) || quote(status) || quote(price_cents) ||"
        " quote(job_id) || quote(placed_at) || quote(updated_at) || quote(code) || quote(model) ||"
        " quote(carrier) || quote(fmi) AS r FROM orders ORDER BY id))"
        " || '#' || coalesce((SELECT group_concat(r, '|') FROM (SELECT quote(id) || state ||"
        " quote(order_id) || quote(updated_at) || reason AS r FROM items ORDER BY id)), '')"
        " || '#' || coalesce((SELECT group_concat(detail, '|') FROM audit), '')"
        " || '#' || coalesce((SELECT group_concat(cents) FROM spending), '')");
  }

  std::vector<OrderRecord> Orders() { return *OrderRepository(*db_).Find({}); }
};

TEST_F(OrderImportTest, ARowWithoutAnOrderBecomesOne) {
  std::vector<ImportError> errors;
  Result<ImportCounts> counts =
      Import({Row("iPhone Check", "352099001761481", "completed", "Model: iPhone 13 - FMI: OFF")},
             &errors);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(counts->inserted, 1);
  std::vector<OrderRecord> orders = Orders();
  ASSERT_EQ(orders.size(), 1u);
  const OrderRecord& o = orders[0];
  EXPECT_EQ(o.service_id, "1739");
  EXPECT_EQ(o.imei, "352099001761481");
  EXPECT_EQ(o.status, OrderStatus::kCompleted);
  EXPECT_EQ(o.price, Money::FromCents(8));
  EXPECT_EQ(o.placed_at, kPlaced);
  EXPECT_FALSE(o.job_id.has_value());
  EXPECT_EQ(o.upstream_id, "");
  EXPECT_EQ(o.fields.model, "iPhone 13");
  EXPECT_EQ(o.fields.fmi, "OFF");
  EXPECT_EQ(Query("SELECT count(*) FROM spending"), "0");  // imeiflow did not spend it
  EXPECT_NE(Query("SELECT detail FROM audit").find("1 inserted"), std::string::npos);
}

TEST_F(OrderImportTest, ServicesAreFoundByTitleElseIdAndUnknownOnesAreRowErrors) {
  std::vector<ImportError> errors;
  Result<ImportCounts> counts =
      Import({Row("2001", "352099001761481", "pending", "", kPlaced, 2),
              Row("No Such Service", "352099001761481", "pending", "", kPlaced, 3),
              Row("Same Title", "352099001761481", "pending", "", kPlaced, 4)},
             &errors);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->inserted, 1);
  EXPECT_EQ(Orders().at(0).service_id, "2001");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_NE(errors[0].message.find("No Such Service"), std::string::npos);
  EXPECT_EQ(errors[1].line, 4);
  EXPECT_NE(errors[1].message.find("3001, 3002"), std::string::npos) << errors[1].message;
}

TEST_F(OrderImportTest, AMatchingOrderGetsTheResult) {
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(id, upstream_id, imei, service_id, status,"
                        " price_cents, job_id, placed_at, updated_at)"
                        " VALUES (7, 'u7', '352099001761481', '1739', 'pending', 8, 1,"
                        " 1796020203500, 1)")
                  .ok());
  std::vector<ImportError> errors;
  Result<ImportCounts> counts = Import(
      {Row("iPhone Check", "352099001761481", "completed", "Carrier: AT&T - SimLock: Locked")},
      &errors);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->updated, 1);
  EXPECT_EQ(counts->inserted, 0);
  std::vector<OrderRecord> orders = Orders();
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].id, 7);
  EXPECT_EQ(orders[0].upstream_id, "u7");
  EXPECT_EQ(orders[0].status, OrderStatus::kCompleted);
  EXPECT_EQ(orders[0].fields.carrier, "AT&T");
  EXPECT_EQ(orders[0].placed_at, 1796020203500);  // ours, not the file's
  EXPECT_EQ(orders[0].job_id, 1);
}

TEST_F(OrderImportTest, AFinalResultIsNotUndoneByAnOlderRow) {
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(imei, service_id, status, price_cents, placed_at,"
                        " updated_at, code) VALUES ('352099001761481', '1739', 'completed', 8,"
                        " 1796020200000, 1, 'Model: iPhone')")
                  .ok());
  std::string before = Dump();
  std::vector<ImportError> errors;
  Result<ImportCounts> counts =
      Import({Row("iPhone Check", "352099001761481", "in_process", "")}, &errors);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->unchanged, 1);
  EXPECT_EQ(Dump(), before);
}

TEST_F(OrderImportTest, ImportingTheSameRowsAgainChangesNothing) {
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(imei, service_id, status, price_cents, job_id,"
                        " placed_at, updated_at) VALUES ('490154203237518', '1739', 'pending', 8,"
                        " 1, 1796020100000, 1)")
                  .ok());
  std::vector<ImportRow> rows = {
      Row("iPhone Check", "352099001761481", "completed", "Model: A", kPlaced, 2),
      Row("iPhone Check", "352099001761481", "completed", "Model: B", kPlaced + 60000, 3),
      Row("iPhone Check", "490154203237518", "rejected", "Bad IMEI", kPlaced, 4),
      Row("Carrier Check", "352099001761481", "pending", "", kPlaced, 5)};
  std::vector<ImportError> errors;
  Result<ImportCounts> first = Import(rows, &errors);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->inserted, 3);
  EXPECT_EQ(first->updated, 1);
  std::string after_first = Dump();

  Result<ImportCounts> second = Import(rows, &errors, kNow + 1000);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->updated, 0);
  EXPECT_EQ(second->unchanged, 4);
  EXPECT_EQ(Dump(), after_first);
  EXPECT_TRUE(errors.empty());
}

TEST_F(OrderImportTest, EachOrderAnswersOneRowThePlacedSecondFirst) {
  // Two orders of one IMEI + service (a recheck): the rows go to the orders
  // placed in their second, even when the file lists them the other way.
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(id, imei, service_id, status, price_cents,"
                        " placed_at, updated_at) VALUES"
                        " (1, '352099001761481', '1739', 'pending', 8, 1796020200400, 1),"
                        " (2, '352099001761481', '1739', 'pending', 8, 1796020230000, 1)")
                  .ok());
  std::vector<ImportError> errors;
  Result<ImportCounts> counts =
      Import({Row("iPhone Check", "352099001761481", "completed", "second", kPlaced + 30000, 2),
              Row("iPhone Check", "352099001761481", "completed", "first", kPlaced, 3)},
             &errors);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->updated, 2);
  EXPECT_EQ(Query("SELECT code FROM orders WHERE id = 1"), "first");
  EXPECT_EQ(Query("SELECT code FROM orders WHERE id = 2"), "second");
}

TEST_F(OrderImportTest, AnAcceptedUnconfirmedItemGetsItsOrderAndResult) {
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(id, imei, service_id, status, price_cents, job_id,"
                        " placed_at, updated_at) VALUES (5, '352099001761481', '1739',"
                        " 'unconfirmed', 8, 1, 1796020212000, 1);"
                        "INSERT INTO items(id, job_id, line, input, imei, state, order_id,"
                        " updated_at) VALUES (9, 1, 1, '352099001761481', '352099001761481',"
                        " 'accepted_unconfirmed', 5, 1)")
                  .ok());
  std::vector<ImportError> errors;
  Result<ImportCounts> counts = Import(
      {Row("iPhone Check", "352099001761481", "completed", "Model: iPhone 15 - FMI: ON")}, &errors);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->updated, 1);
  EXPECT_EQ(counts->resolved_unconfirmed, 1);
  EXPECT_EQ(Query("SELECT state || '/' || order_id FROM items WHERE id = 9"), "accepted/5");
  EXPECT_EQ(Query("SELECT status || '/' || fmi FROM orders WHERE id = 5"), "completed/ON");
  EXPECT_EQ(Query("SELECT count(*) FROM orders"), "1");
  EXPECT_EQ(Query("SELECT action FROM audit"), "orders.import");
}

TEST_F(OrderImportTest, OurOwnUnconfirmedWordResolvesNoItem) {
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(id, imei, service_id, status, price_cents, job_id,"
                        " placed_at, updated_at) VALUES (5, '352099001761481', '1739',"
                        " 'unconfirmed', 8, 1, 1796020200000, 1);"
                        "INSERT INTO items(id, job_id, line, input, imei, state, order_id,"
                        " updated_at) VALUES (9, 1, 1, '352099001761481', '352099001761481',"
                        " 'accepted_unconfirmed', 5, 1)")
                  .ok());
  std::string before = Dump();
  std::vector<ImportError> errors;
  Result<ImportCounts> counts =
      Import({Row("iPhone Check", "352099001761481", "unconfirmed", "")}, &errors);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->resolved_unconfirmed, 0);
  EXPECT_EQ(counts->resolved_uncertain, 0);
  EXPECT_EQ(Dump(), before);
}

// The IMEIs below: valid check digits are not needed by the importer.
std::string Imei(int n) { return "35209900176148" + std::to_string(n); }

TEST_F(OrderImportTest, ImportResolvesExactlyTheUncertainItemsTheFileHolds) {
  for (int n = 1; n <= 4; ++n) {
    ASSERT_TRUE(db_->Exec(fmt::format("INSERT INTO items(id, job_id, line, input, imei, state,"
                                      " reason, updated_at) VALUES ({0}, 1, {0}, '{1}', '{1}',"
                                      " 'uncertain', 'the connection was reset', 1)",
                                      n, Imei(n)))
                    .ok());
  }
  std::vector<ImportError> errors;
  std::vector<ImportRow> rows = {Row("iPhone Check", Imei(1), "completed", "Model: iPhone 13"),
                                 Row("iPhone Check", Imei(3), "pending", "", kPlaced + 5000, 3)};
  Result<ImportCounts> counts = Import(rows, &errors);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->inserted, 2);
  EXPECT_EQ(counts->resolved_uncertain, 2);
  EXPECT_EQ(counts->resolved_unconfirmed, 0);
  EXPECT_EQ(Query("SELECT group_concat(id || ':' || state || ':' || coalesce(order_id, '-'), ',')"
                  " FROM (SELECT * FROM items ORDER BY id)"),
            "1:accepted:1,2:uncertain:-,3:accepted:2,4:uncertain:-");
  // The orders joined the job, and the reserved money is now charged on the
  // day the supplier placed them.
  EXPECT_EQ(Query("SELECT group_concat(imei || ':' || job_id || ':' || status, ',') FROM orders"),
            Imei(1) + ":1:completed," + Imei(3) + ":1:pending");
  EXPECT_EQ(Query("SELECT day || '=' || cents FROM spending"), "2026-11-30=16");
  EXPECT_EQ(Query("SELECT reason FROM items WHERE id = 1"),
            "import of file.csv: the supplier's export lists the order");
  EXPECT_EQ(Query("SELECT detail FROM audit"),
            "file.csv: 2 inserted, 0 updated, 0 unchanged, 2 items awaiting review resolved,"
            " 0 unconfirmed items resolved, 0 rows with errors");

  std::string before = Dump();
  Result<ImportCounts> again = Import(rows, &errors, kNow + 1000);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->inserted + again->updated + again->resolved_uncertain, 0);
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(Dump(), before);

  // The rest, resolved as submitted, get an order each: one per IMEI.
  EXPECT_EQ(
      *ReviewRepository(*db_).Decide(std::nullopt, 1, ReviewDecision::kSubmitted, "ana", kPlaced),
      2);
  EXPECT_EQ(Query("SELECT count(*) || '/' || count(DISTINCT imei) FROM orders"), "4/4");
  EXPECT_EQ(Query("SELECT count(*) FROM items WHERE order_id IS NULL"), "0");
  EXPECT_EQ(Query("SELECT cents FROM spending"), "32");
}

TEST_F(OrderImportTest, AnOrderAnotherItemLinksResolvesNoSecondItem) {
  // Job 1 ordered the IMEI; job 2 (a recheck) left it uncertain. The file's
  // one row is job 1's order: it proves nothing about job 2's item.
  ASSERT_TRUE(db_->Exec("INSERT INTO jobs(id, service_id, price_cents, created_at)"
                        " VALUES (2, '1739', 8, 0);"
                        "INSERT INTO orders(id, upstream_id, imei, service_id, status,"
                        " price_cents, job_id, placed_at, updated_at) VALUES (7, 'u7', '" +
                        Imei(1) + "', '1739', 'pending', 8, 1, " + std::to_string(kPlaced) +
                        ", 1);"
                        "INSERT INTO items(id, job_id, line, input, imei, state, order_id,"
                        " updated_at) VALUES (1, 1, 1, 'x', '" +
                        Imei(1) + "', 'accepted', 7, 1), (2, 2, 1, 'x', '" + Imei(1) +
                        "', 'uncertain', NULL, 1)")
                  .ok());
  std::vector<ImportError> errors;
  Result<ImportCounts> counts = Import({Row("iPhone Check", Imei(1), "completed", "")}, &errors);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->updated, 1);
  EXPECT_EQ(counts->resolved_uncertain, 0);
  EXPECT_EQ(Query("SELECT state FROM items WHERE id = 2"), "uncertain");
  EXPECT_EQ(Query("SELECT count(*) FROM spending"), "0");

  // A second row of the file is a second charge: that one is job 2's.
  counts = Import({Row("iPhone Check", Imei(1), "completed", ""),
                   Row("iPhone Check", Imei(1), "completed", "", kPlaced + 60000, 3)},
                  &errors);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->inserted, 1);
  EXPECT_EQ(counts->resolved_uncertain, 1);
  EXPECT_EQ(Query("SELECT state || ':' || order_id FROM items WHERE id = 2"), "accepted:8");
  EXPECT_EQ(Query("SELECT job_id FROM orders WHERE id = 8"), "2");
}

}  // namespace
}  // namespace imeiflow::store
