#include "core/input.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/input_test_util.h"

namespace imeiflow {
namespace {

using testing::MinimalXlsx;
using testing::WriteXlsx;
using testing::WriteZip;

CheckReport Parse(std::string_view bytes, std::string_view hint = "") {
  Result<CheckReport> r = ParseImeiInput(bytes, hint);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : CheckReport{};
}

std::vector<int> InvalidLines(const CheckReport& r) {
  std::vector<int> lines;
  for (const auto& e : r.invalid) lines.push_back(e.line);
  return lines;
}

TEST(ParseImeiInputTest, EmptyInputGivesEmptyReport) {
  for (std::string_view empty : {"", "\xEF\xBB\xBF", "\n\n\r\n", " \t ,;"}) {
    CheckReport r = Parse(empty);
    EXPECT_TRUE(r.imeis.empty());
    EXPECT_TRUE(r.invalid.empty());
    EXPECT_EQ(r.format, InputFormat::kText);
  }
}

TEST(ParseImeiInputTest, TextWithMixedSeparatorsBomAndCrlf) {
  CheckReport r = Parse(
      "\xEF\xBB\xBF"
      "352099001761481\r\n490154203237518, 356938035643809;013263001234565\r\n\r\n"
      "353325100000003\t867356031234568\r\n");
  EXPECT_EQ(r.format, InputFormat::kText);
  EXPECT_EQ(r.imeis,
            (std::vector<std::string>{"352099001761481", "490154203237518", "356938035643809",
                                      "013263001234565", "353325100000003", "867356031234568"}));
  EXPECT_EQ(r.imei_lines, (std::vector<int>{1, 2, 2, 2, 4, 4}));
  EXPECT_TRUE(r.invalid.empty());
}

TEST(ParseImeiInputTest, PrintedGroupsAreJoined) {
  CheckReport r = Parse("35-209900-176148-1\n35 693803 564380 9\n");
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "356938035643809"}));
  EXPECT_EQ(r.imei_lines, (std::vector<int>{1, 2}));
}

TEST(ParseImeiInputTest, FourteenDigitsAreCompleted) {
  CheckReport r = Parse("x\n86735603123456\n");
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"867356031234568"}));
  ASSERT_EQ(r.completed.size(), 1u);
  EXPECT_EQ(r.completed[0].line, 2);
  EXPECT_EQ(r.completed[0].imei, "867356031234568");
  EXPECT_EQ(r.completed[0].input, "86735603123456");
}

TEST(ParseImeiInputTest, InvalidEntriesCarryLineRawAndReason) {
  CheckReport r =
      Parse("3520990017614812\n352099001761482\n35209900176148A\n352099001761\n3.52099E+14\n");
  ASSERT_EQ(r.invalid.size(), 5u);
  EXPECT_EQ(InvalidLines(r), (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(r.invalid[0].input, "3520990017614812");
  EXPECT_EQ(r.invalid[0].reason.rfind("16 digits: looks like an IMEISV", 0), 0u);
  EXPECT_NE(r.invalid[1].reason.find("check digit should be 1"), std::string::npos);
  EXPECT_EQ(r.invalid[2].reason.rfind("contains letters", 0), 0u);
  EXPECT_EQ(r.invalid[3].reason, "12 digits: an IMEI has 15");
  EXPECT_NE(r.invalid[4].reason.find("scientific notation"), std::string::npos);
  EXPECT_TRUE(r.imeis.empty());
}

TEST(ParseImeiInputTest, DuplicatesAreKeptOnceAndReported) {
  CheckReport r = Parse("352099001761481\n490154203237518\n35-209900-176148-1\n35209900176148\n");
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "490154203237518"}));
  ASSERT_EQ(r.duplicates.size(), 2u);
  EXPECT_EQ(r.duplicates[0].line, 3);
  EXPECT_EQ(r.duplicates[0].imei, "352099001761481");
  EXPECT_EQ(r.duplicates[0].first_line, 1);
  EXPECT_EQ(r.duplicates[0].input, "35-209900-176148-1");
  EXPECT_EQ(r.duplicates[1].line, 4);
  EXPECT_EQ(r.duplicates[1].input, "35209900176148");
  EXPECT_TRUE(r.completed.empty());  // the 14-digit repeat is a duplicate, not an addition
}

TEST(ParseImeiInputTest, ManyDistinctImeisSurviveIndexGrowth) {
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 5000; ++i) {
    std::string body = std::to_string(10000000000000 + i * 7919LL);
    body = std::string(14 - body.size(), '0') + body;
    std::string imei = body;
    // Append the check digit computed the slow way.
    int sum = 0;
    for (int k = 0; k < 14; ++k) {
      int d = body[k] - '0';
      if (k % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    imei.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
    expected.push_back(imei);
    text += imei + "\n";
  }
  text += expected[4321] + "\n";
  CheckReport r = Parse(text);
  EXPECT_EQ(r.imeis, expected);
  ASSERT_EQ(r.duplicates.size(), 1u);
  EXPECT_EQ(r.duplicates[0].first_line, 4322);
  EXPECT_EQ(r.duplicates[0].line, 5001);
}

TEST(ParseImeiInputTest, CsvWithNamedColumnQuotesAndNewlines) {
  CheckReport r = Parse(
      "Device,IMEI No.,Price\r\n"
      "\"iPhone, 64 GB\",352099001761481,1\r\n"
      "\"Pixel\n(returned)\",\"35 693803 564380 9\",2\r\n"
      "Moto,3.52099E+14,3\r\n");
  EXPECT_EQ(r.format, InputFormat::kCsv);
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "356938035643809"}));
  EXPECT_EQ(r.imei_lines, (std::vector<int>{2, 4}));
  ASSERT_EQ(r.invalid.size(), 1u);
  EXPECT_EQ(r.invalid[0].line, 5);
  EXPECT_EQ(r.invalid[0].input, "3.52099E+14");
}

TEST(ParseImeiInputTest, CsvHeaderNamesInAnyCaseAndPunctuation) {
  for (std::string header : {"imei", "IMEI", "Imei No.", "imei1", "IMEI #", "IMEI-Number"}) {
    CheckReport r = Parse("Model;" + header + ";Note\nA;352099001761481;x\nB;bad;y\n");
    EXPECT_EQ(r.format, InputFormat::kCsv) << header;
    EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481"})) << header;
    EXPECT_EQ(InvalidLines(r), (std::vector<int>{3})) << header;
  }
}

TEST(ParseImeiInputTest, CsvHeaderBelowTitleRows) {
  CheckReport r = Parse("Stock export;;\n\nModel;IMEI;Price\nA;352099001761481;1\nB;123;2\n");
  EXPECT_EQ(r.format, InputFormat::kCsv);
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481"}));
  EXPECT_EQ(InvalidLines(r), (std::vector<int>{5}));
}

TEST(ParseImeiInputTest, NoHeaderIsSoughtBelowRowsHoldingImeis) {
  CheckReport r = Parse("352099001761481\nIMEI\n490154203237518\n");
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "490154203237518"}));
  EXPECT_EQ(InvalidLines(r), (std::vector<int>{2}));
}

TEST(ParseImeiInputTest, CsvPrefersImeiOverImei2) {
  CheckReport r = Parse("IMEI 2\tIMEI\n490154203237518\t352099001761481\n");
  EXPECT_EQ(r.format, InputFormat::kCsv);
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481"}));
}

TEST(ParseImeiInputTest, HeaderlessCsvPicksTheColumnOfImeis) {
  CheckReport r = Parse(
      "Apple iPhone 12,352099001761481,12.50\n"
      "Samsung S21,490154203237518,9.00\n"
      "Pixel 6,35209900176148X,7.00\n");
  EXPECT_EQ(r.format, InputFormat::kCsv);
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "490154203237518"}));
  EXPECT_EQ(InvalidLines(r), (std::vector<int>{3}));
}

TEST(ParseImeiInputTest, CsvWithUnnamedHeaderSkipsIt) {
  CheckReport r = Parse("Model,Serial\nA,352099001761481\nB,490154203237518\n");
  EXPECT_EQ(r.format, InputFormat::kCsv);
  EXPECT_EQ(r.imeis.size(), 2u);
  EXPECT_TRUE(r.invalid.empty());
}

TEST(ParseImeiInputTest, RowsOfOnlyImeisAreTextSoNoneIsDropped) {
  CheckReport r = Parse("352099001761481,490154203237518\n356938035643809,013263001234565\n");
  EXPECT_EQ(r.format, InputFormat::kText);
  EXPECT_EQ(r.imeis.size(), 4u);
}

TEST(ParseImeiInputTest, SingleColumnCsvReadsEveryField) {
  CheckReport r = Parse("IMEI\n\"352099001761481\"\n490154203237518, 356938035643809\n");
  EXPECT_EQ(r.format, InputFormat::kCsv);
  EXPECT_EQ(r.imeis.size(), 3u);
  EXPECT_TRUE(r.invalid.empty());
}

TEST(ParseImeiInputTest, CsvRaggedRowsAreInvalidWithLineNumbers) {
  CheckReport r = Parse("Model,IMEI,Price\nA,352099001761481,1\nB\nC,490154203237518,3,extra\n");
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "490154203237518"}));
  ASSERT_EQ(r.invalid.size(), 1u);
  EXPECT_EQ(r.invalid[0].line, 3);
  EXPECT_EQ(r.invalid[0].input, "B");
  EXPECT_NE(r.invalid[0].reason.find("IMEI column is field 2"), std::string::npos);
}

TEST(ParseImeiInputTest, CsvUnbalancedQuoteKeepsLaterRows) {
  CheckReport r = Parse("Model,IMEI\nA,352099001761481\nB,\"490154203237518\nC,356938035643809\n");
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "356938035643809"}));
  EXPECT_EQ(r.imei_lines, (std::vector<int>{2, 4}));
  ASSERT_EQ(r.invalid.size(), 1u);
  EXPECT_EQ(r.invalid[0].line, 3);
  EXPECT_NE(r.invalid[0].reason.find("unbalanced quote"), std::string::npos);
}

TEST(ParseImeiInputTest, UnbalancedQuoteOutsideTheImeiColumnKeepsTheImei) {
  CheckReport r = Parse("Model,IMEI\n\"A,352099001761481\nB,490154203237518\n");
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "490154203237518"}));
  EXPECT_TRUE(r.invalid.empty());
}

TEST(ParseImeiInputTest, XlsxFromLibxlsxwriter) {
  std::string book = WriteXlsx({{0, 0, std::string("Model")},
                                {0, 1, std::string("IMEI")},
                                {1, 0, std::string("A")},
                                {1, 1, 352099001761481.0},
                                {2, 1, std::string("35 693803 564380 9")},
                                {4, 1, std::string("3.52099E+14")},
                                {5, 1, 35209900176148.0},
                                {6, 1, std::string("352099001761481")}});
  CheckReport r = Parse(book, "book.xlsx");
  EXPECT_EQ(r.format, InputFormat::kXlsx);
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "356938035643809"}));
  EXPECT_EQ(r.imei_lines, (std::vector<int>{2, 3}));
  ASSERT_EQ(r.invalid.size(), 1u);
  EXPECT_EQ(r.invalid[0].line, 5);
  EXPECT_EQ(r.invalid[0].input, "3.52099E+14");
  EXPECT_NE(r.invalid[0].reason.find("scientific notation"), std::string::npos);
  ASSERT_EQ(r.duplicates.size(), 2u);
  EXPECT_EQ(r.duplicates[0].line, 6);
  EXPECT_EQ(r.duplicates[1].line, 7);
}

TEST(ParseImeiInputTest, XlsxHeaderBelowATitleRow) {
  std::string book = WriteXlsx({{0, 0, std::string("Devices received 2024-05-01")},
                                {2, 0, std::string("Model")},
                                {2, 1, std::string("IMEI No.")},
                                {3, 0, std::string("A")},
                                {3, 1, std::string("352099001761481")},
                                {4, 0, std::string("B")},
                                {4, 1, std::string("not one")}});
  CheckReport r = Parse(book);
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481"}));
  EXPECT_EQ(r.imei_lines, (std::vector<int>{4}));
  EXPECT_EQ(InvalidLines(r), (std::vector<int>{5}));
}

TEST(ParseImeiInputTest, XlsxWithoutHeaderUsesTheImeiColumn) {
  std::string book = WriteXlsx({{0, 0, std::string("note")},
                                {0, 2, 490154203237518.0},
                                {1, 2, 352099001761481.0},
                                {2, 2, std::string("oops")}});
  CheckReport r = Parse(book);
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"490154203237518", "352099001761481"}));
  EXPECT_EQ(InvalidLines(r), (std::vector<int>{3}));
}

TEST(ParseImeiInputTest, HandMadeXlsxWithInlineStrings) {
  std::string book = MinimalXlsx(
      R"(<row r="2"><c r="A2" t="inlineStr"><is><t>IMEI</t></is></c></row>)"
      R"(<row r="4"><c r="A4" t="inlineStr"><is><t>35-209900-176148-1</t></is></c></row>)"
      R"(<row r="5"><c r="A5" t="inlineStr"><is><t>12345</t></is></c></row>)");
  CheckReport r = Parse(book);
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481"}));
  EXPECT_EQ(r.imei_lines, (std::vector<int>{4}));
  ASSERT_EQ(r.invalid.size(), 1u);
  EXPECT_EQ(r.invalid[0].line, 5);
}

TEST(ParseImeiInputTest, XlsxWithNothingLikeImeisReportsTheLeftmostColumn) {
  std::string book = WriteXlsx({{0, 1, std::string("hello")}, {1, 1, std::string("world")}});
  CheckReport r = Parse(book);
  EXPECT_EQ(InvalidLines(r), (std::vector<int>{1, 2}));
}

TEST(ParseImeiInputTest, CorruptXlsxIsAnErrorNamingTheFile) {
  std::string book = WriteXlsx({{0, 0, std::string("IMEI")}});
  Result<CheckReport> r = ParseImeiInput(book.substr(0, book.size() - 30), "book.xlsx");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
  EXPECT_EQ(r.status().message().rfind("book.xlsx: ", 0), 0u) << r.status().message();
}

TEST(ParseImeiInputTest, ZipBombIsTooLarge) {
  std::string bomb = WriteZip({{"xl/worksheets/sheet1.xml", std::string(3 << 20, 'A')}});
  InputOptions options;
  options.max_unzipped_entry_bytes = 1 << 20;
  Result<CheckReport> r = ParseImeiInput(bomb, "bomb.xlsx", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTooLarge);
}

TEST(ParseImeiInputTest, UnreadableSharedStringsAreInvalidWithTheirRow) {
  // No shared strings part at all: the cells are not silently dropped.
  std::string without =
      WriteZip({{"xl/worksheets/sheet1.xml",
                 R"(<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>)"
                 R"(<row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>)"}});
  CheckReport r = Parse(without);
  EXPECT_TRUE(r.imeis.empty());
  ASSERT_EQ(InvalidLines(r), (std::vector<int>{1, 2}));
  EXPECT_EQ(r.invalid[1].input, "1");
  EXPECT_EQ(r.invalid[1].reason,
            "the cell refers to shared string 1, but the workbook has no shared strings");
  // An index beyond the table, among good rows.
  std::string beyond =
      MinimalXlsx(R"(<row r="1"><c r="A1" t="s"><v>0</v></c></row>)"
                  R"(<row r="2"><c r="A2" t="s"><v>1</v></c></row>)"
                  R"(<row r="3"><c r="A3" t="s"><v>9</v></c></row>)",
                  "<si><t>352099001761481</t></si><si><t>490154203237518</t></si>");
  r = Parse(beyond);
  EXPECT_EQ(r.imeis, (std::vector<std::string>{"352099001761481", "490154203237518"}));
  ASSERT_EQ(InvalidLines(r), (std::vector<int>{3}));
  EXPECT_EQ(r.invalid[0].reason, "the cell refers to shared string 9, but the workbook has 2");
}

// `count` distinct valid IMEIs, one a line.
std::string ImeiLines(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    std::string body = std::to_string(35000000000000LL + i);
    int sum = 0;
    for (int k = 0; k < 14; ++k) {
      int d = body[k] - '0';
      if (k % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    text += body + static_cast<char>('0' + (10 - sum % 10) % 10) + "\n";
  }
  return text;
}

TEST(ParseImeiInputTest, AListLongerThanAJobIsRefusedStatingTheLimit) {
  EXPECT_EQ(Parse(ImeiLines(static_cast<int>(kMaxJobEntries))).imeis.size(), kMaxJobEntries);
  Result<CheckReport> r =
      ParseImeiInput(ImeiLines(static_cast<int>(kMaxJobEntries) + 1), "big.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kTooLarge);
  EXPECT_EQ(r.status().message(),
            "big.txt: more than 100,000 IMEIs: at most 100,000 IMEIs per job; split the list");
}

TEST(ParseImeiInputTest, EntriesOfAnyKindAreBounded) {
  InputOptions options;
  options.max_imeis = 10;
  options.max_entries = 20;
  std::string junk;
  for (int i = 0; i < 21; ++i) junk += "x\n";
  Result<CheckReport> r = ParseImeiInput(junk, "", options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "more than 20 entries: at most 10 IMEIs per job; split the list");
  EXPECT_TRUE(ParseImeiInput(junk.substr(2), "", options).ok());
  // The same bound holds for CSV and XLSX.
  std::string csv = "IMEI,note\n";
  for (int i = 0; i < 21; ++i) csv += "x,y\n";
  EXPECT_EQ(ParseImeiInput(csv, "", options).status().code(), StatusCode::kTooLarge);
  std::string rows;
  for (int i = 1; i <= 21; ++i) {
    rows += "<row r=\"" + std::to_string(i) + "\"><c t=\"inlineStr\"><is><t>x</t></is></c></row>";
  }
  EXPECT_EQ(ParseImeiInput(MinimalXlsx(rows), "", options).status().code(), StatusCode::kTooLarge);
}

TEST(CheckJobSizeTest, StatesTheLimit) {
  EXPECT_TRUE(CheckJobSize(100'000).ok());
  Status s = CheckJobSize(1'000'000);
  EXPECT_EQ(s.code(), StatusCode::kTooLarge);
  EXPECT_EQ(s.message(), "1,000,000 IMEIs: at most 100,000 IMEIs per job; split the list");
}

TEST(ParseImeiInputTest, BinaryGarbageGivesInvalidEntriesNotACrash) {
  std::mt19937 random(42);
  std::string garbage;
  for (int i = 0; i < 100000; ++i) garbage.push_back(static_cast<char>(random()));
  Result<CheckReport> r = ParseImeiInput(garbage);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->invalid.empty());
  for (const auto& e : r->invalid) {
    EXPECT_GE(e.line, 1);
    EXPECT_FALSE(e.reason.empty());
    EXPECT_LE(e.input.size(), 203u);
  }
}

TEST(ParseImeiInputTest, InvalidUtf8IsAnInvalidEntryWithItsBytes) {
  CheckReport r = Parse("352099001761481\n\xC3\x28\xFF\n");
  EXPECT_EQ(r.imeis.size(), 1u);
  ASSERT_EQ(r.invalid.size(), 1u);
  EXPECT_EQ(r.invalid[0].line, 2);
  EXPECT_EQ(r.invalid[0].input, "\xC3\x28\xFF");
}

TEST(ParseImeiInputTest, LongRawTextIsCut) {
  CheckReport r = Parse(std::string(1000, 'x'));
  ASSERT_EQ(r.invalid.size(), 1u);
  EXPECT_EQ(r.invalid[0].input, std::string(200, 'x') + "...");
}

TEST(ParseImeiInputTest, FormatComesFromContentNotTheName) {
  EXPECT_EQ(Parse("352099001761481\n", "list.xlsx").format, InputFormat::kText);
  EXPECT_EQ(Parse("IMEI\n352099001761481\n", "list.txt").format, InputFormat::kCsv);
  EXPECT_EQ(DetectInputFormat("PK\x03\x04rest"), InputFormat::kXlsx);
  EXPECT_EQ(DetectInputFormat("a,352099001761481\nb,490154203237518\n"), InputFormat::kCsv);
}

}  // namespace
}  // namespace imeiflow
