#include "store/order_export.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "core/xlsx_reader.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class OrderExportTest : public TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    ASSERT_TRUE(db_->Exec("INSERT INTO services(id, title, price_cents, fetched_at)"
                          " VALUES ('1739', 'iPhone Check, Full', 8, 0)")
                    .ok());
  }

  // Inserts `n` completed orders of service 1739 (or `service`), one second apart.
  void AddOrders(int n, const std::string& service = "1739") {
    ASSERT_TRUE(db_->Exec("BEGIN").ok());
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(db_->Exec(fmt::format("INSERT INTO orders(imei, service_id, status,"
                                        " price_cents, placed_at, updated_at, code, model) VALUES"
                                        " ('{}', '{}', 'completed', 8, {}, 0, 'Model: =X', '=X')",
                                        100000000000000 + i, service, i * 1000))
                      .ok());
    }
    ASSERT_TRUE(db_->Exec("COMMIT").ok());
  }
};

TEST_F(OrderExportTest, CsvGoesToTheSinkInChunksHeaderFirst) {
  AddOrders(20000);
  std::string csv;
  int chunks = 0;
  Result<int64_t> rows = ExportOrdersCsv(*db_, {}, [&](std::string_view bytes) {
    csv += bytes;
    ++chunks;
    return Status::Ok();
  });
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(*rows, 20000);
  EXPECT_GT(chunks, 1);  // about 1 MiB each: never the whole export at once
  EXPECT_TRUE(csv.starts_with(
      "SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,ORDER DATE\r\n"
      "\"iPhone Check, Full\",100000000019999,$0.08,Completed,Model: =X,,,,'=X,,"
      "1970-01-01 05:33:19\r\n"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 20001);
}

TEST_F(OrderExportTest, AnUncachedServiceShowsItsIdAndFiltersApply) {
  AddOrders(3, "777");
  AddOrders(2);
  OrderFilter filter;
  filter.service_id = "777";
  std::string csv;
  Result<int64_t> rows = ExportOrdersCsv(*db_, filter, [&](std::string_view bytes) {
    csv += bytes;
    return Status::Ok();
  });
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 3);
  EXPECT_NE(csv.find("\r\n777,100000000000002,"), std::string::npos) << csv;
}

TEST_F(OrderExportTest, ASinkErrorStopsTheExport) {
  AddOrders(20000);
  int calls = 0;
  Result<int64_t> rows = ExportOrdersCsv(*db_, {}, [&](std::string_view) {
    ++calls;
    return Status::IoError("disk full");
  });
  EXPECT_EQ(rows.status().code(), StatusCode::kIoError);
  EXPECT_EQ(calls, 1);
}

TEST_F(OrderExportTest, XlsxHoldsTheSameRows) {
  AddOrders(3);
  std::string path = (dir_ / "orders.xlsx").string();
  Result<int64_t> rows = ExportOrdersXlsx(*db_, {}, path);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(*rows, 3);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<XlsxSheet> sheet = XlsxSheet::Open(bytes);
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  std::vector<SheetRow> read;
  Status walked = sheet->ForEachRow([&](const SheetRow& row) {
    read.push_back(row);
    return true;
  });
  ASSERT_TRUE(walked.ok()) << walked.message();
  ASSERT_EQ(read.size(), 4u);
  EXPECT_EQ(read[0].Cell(10), "ORDER DATE");
  EXPECT_EQ(read[1].Cell(0), "iPhone Check, Full");
  EXPECT_EQ(read[1].Cell(1), "100000000000002");
  EXPECT_EQ(read[1].Cell(8), "'=X");
  EXPECT_EQ(read[3].Cell(10), "1970-01-01 00:00:00");
}

}  // namespace
}  // namespace imeiflow::store
