#include "core/xlsx_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/input_test_util.h"

namespace imeiflow {
namespace {

using testing::MinimalXlsx;
using testing::WriteXlsx;
using testing::WriteZip;

std::vector<SheetRow> Rows(const XlsxSheet& sheet) {
  std::vector<SheetRow> rows;
  sheet.ForEachRow([&](const SheetRow& row) {
    rows.push_back(row);
    return true;
  });
  return rows;
}

TEST(ExactNumberTextTest, IntegersBecomeExactDigits) {
  EXPECT_EQ(ExactNumberText("352099001761481"), "352099001761481");
  EXPECT_EQ(ExactNumberText("3.52099001761481E+14"), "352099001761481");
  EXPECT_EQ(ExactNumberText("3.520990017614810e14"), "352099001761481");
  EXPECT_EQ(ExactNumberText("1E+3"), "1000");
  EXPECT_EQ(ExactNumberText("0"), "0");
}

TEST(ExactNumberTextTest, FractionsAndTooManyDigitsStayAsTheyAre) {
  EXPECT_EQ(ExactNumberText("12.5"), "12.5");
  EXPECT_EQ(ExactNumberText("3.5E-2"), "3.5E-2");
  EXPECT_EQ(ExactNumberText("123456789012345678"), "123456789012345678");
  EXPECT_EQ(ExactNumberText("abc"), "abc");
  EXPECT_EQ(ExactNumberText("1E+400"), "1E+400");
}

TEST(XlsxSheetTest, ReadsStringsAndNumbersWrittenByLibxlsxwriter) {
  std::string book = WriteXlsx({{0, 0, std::string("IMEI")},
                                {1, 0, 352099001761481.0},
                                {2, 0, std::string("3.52099E+14")},
                                {4, 1, std::string("other")}});
  Result<XlsxSheet> sheet = XlsxSheet::Open(book);
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  auto rows = Rows(*sheet);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].row, 1);
  EXPECT_EQ(rows[0].Cell(0), "IMEI");
  EXPECT_EQ(rows[1].Cell(0), "352099001761481");
  EXPECT_EQ(rows[2].Cell(0), "3.52099E+14");
  EXPECT_EQ(rows[3].row, 5);
  EXPECT_EQ(rows[3].Cell(0), "");
  EXPECT_EQ(rows[3].Cell(1), "other");
}

TEST(XlsxSheetTest, ReadsTheFirstSheetOnly) {
  std::string book = WriteXlsx({{0, 0, std::string("first")}}, {{0, 0, std::string("second")}});
  Result<XlsxSheet> sheet = XlsxSheet::Open(book);
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  auto rows = Rows(*sheet);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Cell(0), "first");
}

TEST(XlsxSheetTest, HandMadeWorkbookWithInlineAndSharedStrings) {
  std::string book = MinimalXlsx(
      R"(<row r="3"><c r="B3" t="inlineStr"><is><t>35 209900 176148 1</t></is></c></row>)"
      R"(<row r="9"><c r="B9" t="s"><v>1</v></c><c r="C9"><v>3.52099001761481E+14</v></c></row>)",
      R"(<si><t>zero</t></si><si><r><t>3520990</t></r><r><t>01761481</t></r></si>)");
  Result<XlsxSheet> sheet = XlsxSheet::Open(book);
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  auto rows = Rows(*sheet);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].row, 3);
  EXPECT_EQ(rows[0].Cell(1), "35 209900 176148 1");
  EXPECT_EQ(rows[1].row, 9);
  EXPECT_EQ(rows[1].Cell(1), "352099001761481");
  EXPECT_EQ(rows[1].Cell(2), "352099001761481");
}

TEST(XlsxSheetTest, FallsBackToSheet1WithoutWorkbook) {
  std::string book = WriteZip(
      {{"xl/worksheets/sheet1.xml",
        R"(<worksheet><sheetData><row><c t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>)"}});
  Result<XlsxSheet> sheet = XlsxSheet::Open(book);
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  auto rows = Rows(*sheet);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row, 1);
  EXPECT_EQ(rows[0].Cell(0), "x");
}

TEST(XlsxSheetTest, CorruptZipIsAnError) {
  std::string book = WriteXlsx({{0, 0, std::string("IMEI")}});
  std::string truncated = book.substr(0, book.size() / 2);
  Result<XlsxSheet> sheet = XlsxSheet::Open(truncated);
  ASSERT_FALSE(sheet.ok());
  EXPECT_EQ(sheet.status().code(), StatusCode::kCorrupt);
}

TEST(XlsxSheetTest, DamagedCompressedDataIsAnError) {
  std::string book = MinimalXlsx(std::string(2000, ' ') + "<row><c><v>1</v></c></row>");
  // Flip bytes in the middle of the archive (inside compressed data).
  for (size_t i = book.size() / 3; i < book.size() / 3 + 40; ++i)
    book[i] = static_cast<char>(~book[i]);
  Result<XlsxSheet> sheet = XlsxSheet::Open(book);
  ASSERT_FALSE(sheet.ok());
  EXPECT_EQ(sheet.status().code(), StatusCode::kCorrupt) << sheet.status().message();
}

TEST(XlsxSheetTest, ZipWithoutWorksheetIsAnError) {
  Result<XlsxSheet> sheet = XlsxSheet::Open(WriteZip({{"readme.txt", "hello"}}));
  ASSERT_FALSE(sheet.ok());
  EXPECT_EQ(sheet.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(sheet.status().message().find("no worksheet"), std::string::npos);
}

TEST(XlsxSheetTest, MalformedXmlIsAnError) {
  Result<XlsxSheet> sheet = XlsxSheet::Open(MinimalXlsx("<row><c><v>1</v></row>"));
  ASSERT_FALSE(sheet.ok());
  EXPECT_EQ(sheet.status().code(), StatusCode::kCorrupt);
}

TEST(XlsxSheetTest, DeeplyNestedXmlDoesNotOverflowTheStack) {
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<a>";
  for (int i = 0; i < 200000; ++i) deep += "</a>";
  std::string book =
      WriteZip({{"xl/worksheets/sheet1.xml", "<worksheet>" + deep + "</worksheet>"}});
  Result<XlsxSheet> sheet = XlsxSheet::Open(book);
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  EXPECT_TRUE(Rows(*sheet).empty());
  std::string text = MinimalXlsx("<row><c t=\"inlineStr\"><is>" + deep + "</is></c></row>");
  Result<XlsxSheet> nested_text = XlsxSheet::Open(text);
  ASSERT_TRUE(nested_text.ok()) << nested_text.status().message();
  EXPECT_TRUE(Rows(*nested_text).empty());
}

TEST(XlsxSheetTest, ZipBombEntryIsTooLarge) {
  // 4 MB of one character deflates to a few kilobytes.
  std::string sheet_data =
      "<row><c t=\"inlineStr\"><is><t>" + std::string(4 << 20, '1') + "</t></is></c></row>";
  std::string book = MinimalXlsx(sheet_data);
  ASSERT_LT(book.size(), 64u * 1024);
  Result<XlsxSheet> sheet = XlsxSheet::Open(book, XlsxLimits{1 << 20, 8 << 20});
  ASSERT_FALSE(sheet.ok());
  EXPECT_EQ(sheet.status().code(), StatusCode::kTooLarge);
  EXPECT_NE(sheet.status().message().find("zip bomb"), std::string::npos);
  // The same workbook is fine under a larger bound.
  EXPECT_TRUE(XlsxSheet::Open(book, XlsxLimits{8 << 20, 8 << 20}).ok());
}

TEST(XlsxSheetTest, TotalDecompressedSizeIsBounded) {
  std::string padding(300 * 1024, ' ');
  std::string book =
      MinimalXlsx(padding + "<row><c><v>1</v></c></row>", "<si><t>" + padding + "</t></si>");
  EXPECT_TRUE(XlsxSheet::Open(book, XlsxLimits{1 << 20, 1 << 20}).ok());
  Result<XlsxSheet> sheet = XlsxSheet::Open(book, XlsxLimits{1 << 20, 500 * 1024});
  ASSERT_FALSE(sheet.ok());
  EXPECT_EQ(sheet.status().code(), StatusCode::kTooLarge);
}

}  // namespace
}  // namespace imeiflow
