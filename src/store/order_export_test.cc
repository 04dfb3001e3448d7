#include "store/order_export.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/xlsx_reader.h"
#include "store/order_import.h"
#include "store/supplier_export.h"
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
  Result<int64_t> rows = ExportOrdersCsv(*db_, {}, CsvLayout::kSupplier, [&](std::string_view bytes) {
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
  Result<int64_t> rows = ExportOrdersCsv(*db_, filter, CsvLayout::kSupplier, [&](std::string_view bytes) {
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
  Result<int64_t> rows = ExportOrdersCsv(*db_, {}, CsvLayout::kSupplier, [&](std::string_view) {
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
  EXPECT_EQ(read[0].Cell(10), "ORDER DATE (UTC)");
  EXPECT_EQ(read[1].Cell(0), "iPhone Check, Full");
  EXPECT_EQ(read[1].Cell(1), "100000000000002");
  EXPECT_EQ(read[1].Cell(2), "0.08");  // a number cell (its currency format: xlsx_writer_test)
  EXPECT_EQ(read[1].Cell(8), "'=X");
  EXPECT_EQ(read[3].Cell(10), "25569");  // 1970-01-01 00:00:00 as an Excel date
}

TEST_F(OrderExportTest, TheSupplierCsvIsByteExactAndTheExcelCsvKeepsImeisAsText) {
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(imei, service_id, status, price_cents, placed_at,"
                        " updated_at, code, imei2) VALUES ('352099001761481', '1739', 'completed',"
                        " 123450, 1795933800000, 0, '=HYPERLINK(\"x\")', '352099001761499')")
                  .ok());
  auto export_csv = [&](CsvLayout layout) {
    std::string csv;
    Result<int64_t> rows = ExportOrdersCsv(*db_, {}, layout, [&](std::string_view bytes) {
      csv += bytes;
      return Status::Ok();
    });
    EXPECT_TRUE(rows.ok());
    return csv;
  };
  EXPECT_EQ(export_csv(CsvLayout::kSupplier),
            "SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,ORDER DATE\r\n"
            "\"iPhone Check, Full\",352099001761481,\"$1,234.50\",Completed,"
            "\"'=HYPERLINK(\"\"x\"\")\",352099001761499,,,,,2026-11-29 06:30:00\r\n");
  EXPECT_EQ(export_csv(CsvLayout::kExcel),
            "\xEF\xBB\xBF"
            "SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,"
            "ORDER DATE (UTC)\r\n"
            "\"iPhone Check, Full\",\"=\"\"352099001761481\"\"\",\"$1,234.50\",Completed,"
            "\"'=HYPERLINK(\"\"x\"\")\",\"=\"\"352099001761499\"\"\",,,,,2026-11-29 06:30:00\r\n")
      << "the supplier's code stays neutralised; only our IMEI digits become =\"...\"";
}

// Exports in every format, imports each into a fresh database and finds the
// same orders there.
TEST_F(OrderExportTest, EachFormatImportsBackIntoAFreshDatabaseAsTheSameOrders) {
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(imei, service_id, status, price_cents, placed_at,"
                        " updated_at, code) VALUES"
                        " ('352099001761481', '1739', 'completed', 8, 1795933801000, 0,"
                        "  'Model: iPhone 13 - FMI: ON'),"
                        " ('352099001761499', '1739', 'rejected', 123450, 1795933859000, 0,"
                        "  '=cmd|x, \"quoted\"'),"
                        " ('356938035643809', '1739', 'pending', 5, 1795940000000, 0, '')")
                  .ok());
  auto summary = [](Database& db) {
    std::string out;
    Result<std::vector<OrderRecord>> orders = OrderRepository(db).Find({});
    if (!orders.ok()) return orders.status().message();
    for (const OrderRecord& o : *orders) {
      out += fmt::format("{} {} {} {} {} [{}]\n", o.imei, o.service_id, OrderStatusName(o.status),
                         o.price.cents(), o.placed_at, o.code);
    }
    return out;
  };
  const std::string expected = summary(*db_);
  ASSERT_EQ(std::count(expected.begin(), expected.end(), '\n'), 3);

  for (std::string format : {"csv", "csv-excel", "xlsx"}) {
    SCOPED_TRACE(format);
    std::string path = (dir_ / ("orders." + format)).string();
    if (format == "xlsx") {
      ASSERT_TRUE(ExportOrdersXlsx(*db_, {}, path).ok());
    } else {
      std::ofstream out(path, std::ios::binary);
      CsvLayout layout = format == "csv" ? CsvLayout::kSupplier : CsvLayout::kExcel;
      ASSERT_TRUE(ExportOrdersCsv(*db_, {}, layout, [&](std::string_view bytes) {
                    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
                    return Status::Ok();
                  }).ok());
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Result<SupplierExportFile> file = ReadSupplierExport(bytes);
    ASSERT_TRUE(file.ok()) << file.status().message();
    EXPECT_TRUE(file->errors.empty()) << file->errors[0].message;

    std::filesystem::path fresh_path = dir_ / ("fresh-" + format + ".db");
    Result<std::unique_ptr<Database>> fresh = Database::Open(fresh_path.string());
    ASSERT_TRUE(fresh.ok());
    ASSERT_TRUE((*fresh)->Exec("INSERT INTO services(id, title, price_cents, fetched_at)"
                               " VALUES ('1739', 'iPhone Check, Full', 8, 0)")
                    .ok());
    std::vector<ImportError> errors;
    Result<ImportCounts> counts =
        OrderImporter(**fresh).Import(file->rows, "test", path, 1796000000000, &errors);
    ASSERT_TRUE(counts.ok()) << counts.status().message();
    EXPECT_TRUE(errors.empty());
    EXPECT_EQ(counts->inserted, 3);
    EXPECT_EQ(summary(**fresh), expected);
  }
}

}  // namespace
}  // namespace imeiflow::store
