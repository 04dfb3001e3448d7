#include "store/supplier_export.h"

#include <gtest/gtest.h>

#include "core/csv_writer.h"

namespace imeiflow::store {
namespace {

constexpr std::string_view kHeader =
    "SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,ORDER DATE\r\n";

OrderRecord CompletedOrder() {
  OrderRecord o;
  o.imei = "352099001761481";
  o.service_id = "1739";
  o.status = OrderStatus::kCompleted;
  o.price = Money::FromCents(8);
  o.placed_at = 1796020200000;  // 2026-11-30 06:30:00 UTC
  o.code = "Model: iPhone 13, 128GB - IMEI2: 352099001761499 - Carrier: \"AT&T\" - FMI: ON";
  o.fields.model = "iPhone 13, 128GB";
  o.fields.imei2 = "352099001761499";
  o.fields.carrier = "\"AT&T\"";
  o.fields.simlock = "Locked";
  o.fields.fmi = "ON";
  return o;
}

std::string Csv(const std::vector<SupplierExportCells>& rows) {
  std::string text;
  AppendCsvRecord(std::span<const std::string_view>(kSupplierExportColumns), &text);
  for (const SupplierExportCells& cells : rows) {
    AppendCsvRecord(std::span<const std::string>(cells), &text);
  }
  return text;
}

TEST(SupplierExport, HeaderIsTheSuppliersByteForByte) {
  std::string text;
  AppendCsvRecord(std::span<const std::string_view>(kSupplierExportColumns), &text);
  EXPECT_EQ(text, kHeader);
}

TEST(SupplierExport, CellsFollowTheLayout) {
  SupplierExportCells cells = ExportCells(CompletedOrder(), "iPhone Carrier + FMI Check");
  EXPECT_EQ(cells[0], "iPhone Carrier + FMI Check");
  EXPECT_EQ(cells[1], "352099001761481");
  EXPECT_EQ(cells[2], "$0.08");
  EXPECT_EQ(cells[3], "Completed");
  EXPECT_EQ(cells[4], CompletedOrder().code);
  EXPECT_EQ(cells[5], "352099001761499");
  EXPECT_EQ(cells[6], "\"AT&T\"");
  EXPECT_EQ(cells[7], "Locked");
  EXPECT_EQ(cells[8], "iPhone 13, 128GB");
  EXPECT_EQ(cells[9], "ON");
  EXPECT_EQ(cells[10], "2026-11-30 06:30:00");
}

TEST(SupplierExport, CellsAreNeutralisedAgainstFormulas) {
  OrderRecord o = CompletedOrder();
  o.code = "=HYPERLINK(\"http://evil\")";
  o.fields.carrier = "+1";
  o.fields.simlock = "-";
  o.fields.model = "@SUM(A1)";
  o.fields.fmi = "\tON";
  o.fields.imei2 = "\rx";
  SupplierExportCells cells = ExportCells(o, "=cmd|' /C calc'!A0");
  EXPECT_EQ(cells[0], "'=cmd|' /C calc'!A0");
  EXPECT_EQ(cells[4], "'=HYPERLINK(\"http://evil\")");
  EXPECT_EQ(cells[5], "'\rx");
  EXPECT_EQ(cells[6], "'+1");
  EXPECT_EQ(cells[7], "'-");
  EXPECT_EQ(cells[8], "'@SUM(A1)");
  EXPECT_EQ(cells[9], "'\tON");
}

TEST(SupplierExport, StatusWordsBothWays) {
  EXPECT_EQ(SupplierStatusWord("in_process"), "In Process");
  EXPECT_EQ(SupplierStatusWord("unconfirmed"), "Unconfirmed");
  for (std::string_view stored :
       {"pending", "in_process", "completed", "rejected", "unconfirmed"}) {
    EXPECT_EQ(StoredStatusFromWord(SupplierStatusWord(stored)), std::string(stored));
  }
  EXPECT_EQ(StoredStatusFromWord("IN PROCESS"), "in_process");
  EXPECT_EQ(StoredStatusFromWord("4"), "in_process");
  EXPECT_EQ(StoredStatusFromWord("2"), "completed");
  EXPECT_EQ(StoredStatusFromWord("Cancelled"), std::nullopt);
  EXPECT_EQ(StoredStatusFromWord(""), std::nullopt);
}

TEST(SupplierExport, DatesBothWays) {
  EXPECT_EQ(ExportDate(0), "1970-01-01 00:00:00");
  EXPECT_EQ(ParseExportDate("2026-11-30 06:30:00"), 1796020200000);
  EXPECT_EQ(ParseExportDate("2026-11-30 6:30:00"), 1796020200000);
  EXPECT_EQ(ParseExportDate("2026-11-30 06:30"), 1796020200000);
  EXPECT_EQ(ExportDate(*ParseExportDate("2025-11-14 3:33:00")), "2025-11-14 03:33:00");
  for (std::string_view bad :
       {"", "2026-11-30", "2026-02-30 00:00:00", "2026-11-30 24:00:00", "26-11-30 06:30:00",
        "2026-11-30T06:30:00", "2026-11-30 06:30:00Z", "2026-13-01 00:00:00"}) {
    EXPECT_EQ(ParseExportDate(bad), std::nullopt) << bad;
  }
}

TEST(SupplierExport, ExportedRowsReadBackLosslessly) {
  OrderRecord a = CompletedOrder();
  OrderRecord b = CompletedOrder();
  b.imei = "490154203237518";
  b.status = OrderStatus::kRejected;
  b.code = "=1+1\nsecond line, with \"quotes\"\r\nthird";
  b.price = Money::FromCents(123456);
  Result<SupplierExportFile> file =
      ReadSupplierExport(Csv({ExportCells(a, "Check"), ExportCells(b, "Check")}));
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_TRUE(file->errors.empty());
  ASSERT_EQ(file->rows.size(), 2u);
  const ImportRow& ra = file->rows[0];
  EXPECT_EQ(ra.line, 2);
  EXPECT_EQ(ra.service, "Check");
  EXPECT_EQ(ra.imei, a.imei);
  EXPECT_EQ(ra.price, a.price);
  EXPECT_EQ(ra.status, "completed");
  EXPECT_EQ(ra.code, a.code);
  EXPECT_EQ(ra.placed_at, a.placed_at);
  const ImportRow& rb = file->rows[1];
  EXPECT_EQ(rb.line, 3);
  EXPECT_EQ(rb.code, b.code);
  EXPECT_EQ(rb.price, Money::FromCents(123456));
  EXPECT_EQ(rb.status, "rejected");
}

TEST(SupplierExport, AWrongHeaderIsAnErrorOnLineOne) {
  Result<SupplierExportFile> file =
      ReadSupplierExport("SERVICE,IMEI,CREDITS\r\nx,352099001761481,$0.08\r\n");
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.status().message().find("line 1"), std::string::npos);
  EXPECT_NE(file.status().message().find("SERVICE,IMEI,CREDITS"), std::string::npos);
  EXPECT_FALSE(ReadSupplierExport("").ok());
  Result<SupplierExportFile> workbook = ReadSupplierExport(std::string("PK\x03\x04\x14\0\0", 7));
  ASSERT_FALSE(workbook.ok());
  EXPECT_NE(workbook.status().message().find("XLSX"), std::string::npos);
  Result<SupplierExportFile> binary = ReadSupplierExport(std::string("\x01\x02SERVICE\0x", 11));
  ASSERT_FALSE(binary.ok());
  EXPECT_NE(binary.status().message().find("found \"??SERVICE?x\""), std::string::npos)
      << binary.status().message();
}

TEST(SupplierExport, ByteOrderMarkAndBlankLinesAreSkipped) {
  std::string text = "\xEF\xBB\xBF" + std::string(kHeader) +
                     "\r\nCheck,352099001761481,$0.08,Pending,,,,,,,2025-11-14 3:33:00\r\n\r\n";
  Result<SupplierExportFile> file = ReadSupplierExport(text);
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_TRUE(file->errors.empty());
  ASSERT_EQ(file->rows.size(), 1u);
  EXPECT_EQ(file->rows[0].line, 3);
  EXPECT_EQ(file->rows[0].status, "pending");
}

TEST(SupplierExport, UnreadableRowsAreErrorsWithTheirLines) {
  std::string text = std::string(kHeader) +
                     "Check,352099001761482,$0.08,Completed,x,,,,,,2026-11-30 06:30:00\r\n"  // 2
                     "Check,352099001761481,0.081,Completed,x,,,,,,2026-11-30 06:30:00\r\n"  // 3
                     "Check,352099001761481,$0.08,Done,x,,,,,,2026-11-30 06:30:00\r\n"       // 4
                     "Check,352099001761481,$0.08,Completed,x,,,,,,yesterday\r\n"            // 5
                     "Check,352099001761481,$0.08\r\n"                                       // 6
                     ",352099001761481,$0.08,Completed,x,,,,,,2026-11-30 06:30:00\r\n"       // 7
                     "Check,35209900176148,$0.08,Completed,x,,,,,,2026-11-30 06:30:00\r\n"   // 8
                     "Check,352099001761481,$0.08,Completed,\"a\nb\",,,,,,2026-11-30 06:30:00\r\n"
                     "Check,352099001761481,$0.08,Completed,\"never closed,,,,,,x\r\n";  // 11
  Result<SupplierExportFile> file = ReadSupplierExport(text);
  ASSERT_TRUE(file.ok()) << file.status().message();
  ASSERT_EQ(file->rows.size(), 1u);
  EXPECT_EQ(file->rows[0].line, 9);
  EXPECT_EQ(file->rows[0].code, "a\nb");
  std::vector<int> lines;
  for (const ImportError& e : file->errors) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<int>{2, 3, 4, 5, 6, 7, 8, 11}));
  auto message = [&](size_t i) { return file->errors[i].message; };
  EXPECT_NE(message(0).find("IMEI NO."), std::string::npos) << message(0);
  EXPECT_NE(message(1).find("CREDITS"), std::string::npos) << message(1);
  EXPECT_NE(message(2).find("STATUS"), std::string::npos) << message(2);
  EXPECT_NE(message(3).find("ORDER DATE"), std::string::npos) << message(3);
  EXPECT_NE(message(4).find("3 columns"), std::string::npos) << message(4);
  EXPECT_NE(message(5).find("SERVICE"), std::string::npos) << message(5);
  EXPECT_NE(message(6).find("15"), std::string::npos) << message(6);
  EXPECT_NE(message(7).find("quote"), std::string::npos) << message(7);
}

}  // namespace
}  // namespace imeiflow::store
