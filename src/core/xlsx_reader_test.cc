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
  Status walked = sheet.ForEachRow([&](const SheetRow& row) {
    rows.push_back(row);
    return true;
  });
  EXPECT_TRUE(walked.ok()) << walked.message();
  return rows;
}

// Opens `book` and walks its sheet: the first error of either.
Status OpenAndWalk(const std::string& book, const XlsxLimits& limits = {}) {
  Result<XlsxSheet> sheet = XlsxSheet::Open(book, limits);
  if (!sheet.ok()) return sheet.status();
  return sheet->ForEachRow([](const SheetRow&) { return true; });
}

XlsxLimits Limits(uint64_t entry, uint64_t total) {
  XlsxLimits limits;
  limits.max_entry_bytes = entry;
  limits.max_total_bytes = total;
  return limits;
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
  Status walked = OpenAndWalk(book);
  ASSERT_FALSE(walked.ok());
  EXPECT_EQ(walked.code(), StatusCode::kCorrupt) << walked.message();
}

TEST(XlsxSheetTest, ZipWithoutWorksheetIsAnError) {
  Result<XlsxSheet> sheet = XlsxSheet::Open(WriteZip({{"readme.txt", "hello"}}));
  ASSERT_FALSE(sheet.ok());
  EXPECT_EQ(sheet.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(sheet.status().message().find("no worksheet"), std::string::npos);
}

TEST(XlsxSheetTest, MalformedXmlIsAnError) {
  Status walked = OpenAndWalk(MinimalXlsx("<row><c><v>1</v></row>"));
  ASSERT_FALSE(walked.ok());
  EXPECT_EQ(walked.code(), StatusCode::kCorrupt);
  EXPECT_NE(walked.message().find("xl/worksheets/data.xml in the workbook is not valid XML"),
            std::string::npos)
      << walked.message();
}

TEST(XlsxSheetTest, UnclosedRowAndDoctypeAreErrors) {
  EXPECT_EQ(OpenAndWalk(MinimalXlsx("<row><c><v>1</v></c>")).code(), StatusCode::kCorrupt);
  std::string doctype = WriteZip(
      {{"xl/worksheets/sheet1.xml",
        "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet><sheetData></sheetData></worksheet>"}});
  EXPECT_EQ(OpenAndWalk(doctype).code(), StatusCode::kCorrupt);
}

TEST(XlsxSheetTest, CommentsCdataAndPrefixesAreReadAsXml) {
  std::string book = WriteZip(
      {{"xl/worksheets/sheet1.xml",
        "<?xml version=\"1.0\"?><x:worksheet><!-- <row><c><v>9</v></c></row> --><x:sheetData>"
        "<x:row r=\"2\"><x:c r=\"A2\" t=\"inlineStr\"><x:is><x:t><![CDATA[a</row>b]]></x:t>"
        "</x:is></x:c></x:row><x:row r=\"3\"/><x:row r=\"4\" spans='1:2 >'><x:c r=\"B4\">"
        "<x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>"}});
  Result<XlsxSheet> sheet = XlsxSheet::Open(book);
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  auto rows = Rows(*sheet);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].row, 2);
  EXPECT_EQ(rows[0].Cell(0), "a</row>b");
  EXPECT_EQ(rows[1].row, 4);
  EXPECT_EQ(rows[1].Cell(1), "7");
}

TEST(XlsxSheetTest, MissingOrOutOfRangeSharedStringsAreCellsWithAProblem) {
  std::string without = WriteZip(
      {{"xl/worksheets/sheet1.xml",
        R"(<worksheet><sheetData><row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>)"}});
  Result<XlsxSheet> sheet = XlsxSheet::Open(without);
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  auto rows = Rows(*sheet);
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_NE(rows[0].Find(0), nullptr);
  EXPECT_EQ(rows[0].Find(0)->text, "0");
  EXPECT_EQ(rows[0].Find(0)->problem,
            "the cell refers to shared string 0, but the workbook has no shared strings");

  std::string beyond =
      MinimalXlsx(R"(<row r="5"><c r="A5" t="s"><v>7</v></c></row>)", "<si><t>only</t></si>");
  Result<XlsxSheet> short_table = XlsxSheet::Open(beyond);
  ASSERT_TRUE(short_table.ok()) << short_table.status().message();
  rows = Rows(*short_table);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row, 5);
  EXPECT_EQ(rows[0].Find(0)->problem, "the cell refers to shared string 7, but the workbook has 1");
}

TEST(XlsxSheetTest, AHugeRowIsRefusedNotHeld) {
  std::string cells;
  for (int i = 0; i < 5000; ++i)
    cells += "<c t=\"inlineStr\"><is><t>" + std::string(200, 'x') + "</t></is></c>";
  XlsxLimits limits;
  limits.max_element_bytes = 512 * 1024;
  Status walked = OpenAndWalk(MinimalXlsx("<row>" + cells + "</row>"), limits);
  EXPECT_EQ(walked.code(), StatusCode::kTooLarge) << walked.message();
  EXPECT_NE(walked.message().find("larger than 524288 bytes"), std::string::npos)
      << walked.message();
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
  Status walked = OpenAndWalk(book, Limits(1 << 20, 8 << 20));
  ASSERT_FALSE(walked.ok());
  EXPECT_EQ(walked.code(), StatusCode::kTooLarge);
  EXPECT_EQ(walked.message(),
            "xl/worksheets/data.xml in the workbook decompresses to more than 1 MB (a zip bomb?)");
  // The same workbook is fine under a larger bound.
  XlsxLimits larger = Limits(8 << 20, 8 << 20);
  larger.max_element_bytes = 8 << 20;
  EXPECT_TRUE(OpenAndWalk(book, larger).ok());
}

TEST(XlsxSheetTest, TotalDecompressedSizeIsBounded) {
  std::string padding(300 * 1024, ' ');
  std::string book =
      MinimalXlsx(padding + "<row><c><v>1</v></c></row>", "<si><t>" + padding + "</t></si>");
  EXPECT_TRUE(OpenAndWalk(book, Limits(1 << 20, 1 << 20)).ok());
  Status walked = OpenAndWalk(book, Limits(1 << 20, 500 * 1024));
  ASSERT_FALSE(walked.ok());
  EXPECT_EQ(walked.code(), StatusCode::kTooLarge);
}

}  // namespace
}  // namespace imeiflow
