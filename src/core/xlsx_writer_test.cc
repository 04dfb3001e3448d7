#include "core/xlsx_writer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "core/xlsx_reader.h"
#include "core/zip_test_util.h"

namespace imeiflow {
namespace {

constexpr std::array kColumns = {XlsxColumn{"SERVICE", 30}, XlsxColumn{"IMEI NO.", 17},
                                 XlsxColumn{"CODE", 40}};

class XlsxWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("imeiflow-xlsxw-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".xlsx"))
                .string();
  }
  void TearDown() override { std::filesystem::remove(path_); }

  // Writes `rows` under kColumns' header.
  void Write(const std::vector<std::vector<std::string>>& rows) {
    Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path_, "Orders", kColumns);
    ASSERT_TRUE(writer.ok()) << writer.status().message();
    for (const auto& row : rows) {
      Status s = (*writer)->AddRow(row);
      ASSERT_TRUE(s.ok()) << s.message();
    }
    EXPECT_EQ((*writer)->rows(), static_cast<int64_t>(rows.size()));
    Status s = (*writer)->Finish();
    ASSERT_TRUE(s.ok()) << s.message();
  }

  // The first worksheet's XML.
  pugi::xml_document Sheet() {
    pugi::xml_document doc;
    std::string xml = ZipEntry(path_, "xl/worksheets/sheet1.xml");
    EXPECT_FALSE(xml.empty());
    EXPECT_TRUE(doc.load_buffer(xml.data(), xml.size()));
    return doc;
  }

  std::string path_;
};

TEST_F(XlsxWriterTest, ImeisAreTextCellsNotNumbers) {
  Write({{"Carrier Check", "356938035643809", "Model: iPhone"}});
  pugi::xml_document doc = Sheet();
  pugi::xml_node imei = doc.select_node("//*[local-name()='c'][@r='B2']").node();
  ASSERT_TRUE(imei);
  std::string type = imei.attribute("t").value();
  EXPECT_TRUE(type == "inlineStr" || type == "s") << type;
  EXPECT_EQ(std::string(imei.select_node(".//*[local-name()='t']").node().text().get()),
            "356938035643809");
}

TEST_F(XlsxWriterTest, HeaderRowIsBoldAndTheAutofilterCoversEveryRow) {
  Write({{"a", "356938035643809", "x"}, {"b", "356938035643817", "y"}});
  pugi::xml_document doc = Sheet();
  pugi::xml_node filter = doc.select_node("//*[local-name()='autoFilter']").node();
  ASSERT_TRUE(filter);
  EXPECT_STREQ(filter.attribute("ref").value(), "A1:C3");

  std::vector<std::string> header;
  for (pugi::xpath_node c : doc.select_nodes("//*[local-name()='row'][@r='1']/*")) {
    header.push_back(c.node().select_node(".//*[local-name()='t']").node().text().get());
    EXPECT_TRUE(c.node().attribute("s")) << "header cell without a style (bold)";
  }
  EXPECT_EQ(header, (std::vector<std::string>{"SERVICE", "IMEI NO.", "CODE"}));

  std::string styles = ZipEntry(path_, "xl/styles.xml");
  EXPECT_NE(styles.find("<b/>"), std::string::npos);
}

TEST_F(XlsxWriterTest, TheInputReaderReadsTheCellsBack) {
  Write({{"Check, \"quoted\"", "356938035643809", "line1\nline2"}, {"", "", "'=1+1"}});
  std::ifstream in(path_, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Result<XlsxSheet> sheet = XlsxSheet::Open(bytes);
  ASSERT_TRUE(sheet.ok()) << sheet.status().message();
  std::vector<SheetRow> rows;
  Status walked = sheet->ForEachRow([&](const SheetRow& row) {
    rows.push_back(row);
    return true;
  });
  ASSERT_TRUE(walked.ok()) << walked.message();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].Cell(0), "Check, \"quoted\"");
  EXPECT_EQ(rows[1].Cell(1), "356938035643809");
  EXPECT_EQ(rows[1].Cell(2), "line1\nline2");
  EXPECT_EQ(rows[2].Cell(0), "");
  EXPECT_EQ(rows[2].Cell(2), "'=1+1");
}

TEST_F(XlsxWriterTest, TextXmlCannotHoldIsReplaced) {
  Write({{std::string("a\x01z", 3), "bad \xFF byte", std::string(40000, 'x')}});
  pugi::xml_document doc = Sheet();
  auto text = [&](const char* ref) {
    return std::string(doc.select_node((std::string("//*[local-name()='c'][@r='") + ref +
                                        "']//*[local-name()='t']")
                                           .c_str())
                           .node()
                           .text()
                           .get());
  };
  EXPECT_EQ(text("A2"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(text("B2"), "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(text("C2").size(), 32767u);
}

// The number format code of the style a cell names (its `s` attribute),
// looked up in xl/styles.xml: cellXfs -> numFmtId -> numFmts.
std::string FormatCodeOf(const pugi::xml_node& cell, const std::string& styles_xml) {
  pugi::xml_document styles;
  if (!styles.load_buffer(styles_xml.data(), styles_xml.size())) return "no styles part";
  int style = cell.attribute("s").as_int(0);
  pugi::xpath_node_set xfs = styles.select_nodes("//*[local-name()='cellXfs']/*");
  if (style >= static_cast<int>(xfs.size())) return "no such style";
  std::string id = xfs[static_cast<size_t>(style)].node().attribute("numFmtId").value();
  std::string query = "//*[local-name()='numFmt'][@numFmtId='" + id + "']";
  return styles.select_node(query.c_str()).node().attribute("formatCode").value();
}

TEST_F(XlsxWriterTest, MoneyIsACurrencyNumberTimeADateAndTextStaysText) {
  constexpr std::array kTyped = {XlsxColumn{"IMEI NO.", 17}, XlsxColumn{"CREDITS", 9},
                                 XlsxColumn{"ORDER DATE (UTC)", 20}, XlsxColumn{"NOTE", 9}};
  Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path_, "Orders", kTyped);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  const int64_t placed = 1795933800000;  // 2026-11-29 06:30:00 UTC
  std::vector<XlsxCell> row = {std::string("356938035643809"), Money::FromCents(123450),
                               XlsxUtcTime{placed}, std::monostate{}};
  ASSERT_TRUE((*writer)->AddRow(row).ok());
  ASSERT_TRUE((*writer)->Finish().ok());

  pugi::xml_document doc = Sheet();
  std::string styles = ZipEntry(path_, "xl/styles.xml");
  auto cell = [&](const char* ref) {
    return doc.select_node((std::string("//*[local-name()='c'][@r='") + ref + "']").c_str()).node();
  };
  std::string imei_type = cell("A2").attribute("t").value();
  EXPECT_TRUE(imei_type == "inlineStr" || imei_type == "s") << imei_type;

  pugi::xml_node price = cell("B2");
  ASSERT_TRUE(price);
  EXPECT_STREQ(price.attribute("t").value(), "") << "a number cell has no t or t=\"n\"";
  EXPECT_DOUBLE_EQ(price.child("v").text().as_double(), 1234.50);
  EXPECT_EQ(FormatCodeOf(price, styles), "$#,##0.00");

  pugi::xml_node date = cell("C2");
  ASSERT_TRUE(date);
  EXPECT_STREQ(date.attribute("t").value(), "");
  double serial = date.child("v").text().as_double();
  EXPECT_NEAR(serial, 46355.2708333, 1e-6);  // 2026-11-29 06:30 as Excel counts days
  EXPECT_EQ(UnixMsFromExcelSerialDay(serial), placed);
  EXPECT_EQ(FormatCodeOf(date, styles), "yyyy-mm-dd hh:mm:ss");

  EXPECT_FALSE(cell("D2")) << "an empty cell is not written";
}

TEST(ExcelSerialDayTest, KnownDaysAndTheRoundTripToTheSecond) {
  EXPECT_DOUBLE_EQ(ExcelSerialDay(0), 25569);  // 1970-01-01
  EXPECT_DOUBLE_EQ(ExcelSerialDay(86400000LL * 365), 25934);
  for (int64_t ms : {0LL, 1795933800000LL, 1795933859000LL, 4102444799000LL}) {
    EXPECT_EQ(UnixMsFromExcelSerialDay(ExcelSerialDay(ms)), ms) << ms;
  }
}

TEST_F(XlsxWriterTest, RowsOfTheWrongWidthAreRefused) {
  Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path_, "Orders", kColumns);
  ASSERT_TRUE(writer.ok());
  std::vector<std::string> short_row = {"only one"};
  EXPECT_FALSE((*writer)->AddRow(short_row).ok());
  EXPECT_TRUE((*writer)->Finish().ok());
}

TEST_F(XlsxWriterTest, AnUnwritablePathIsAnError) {
  path_ = "/nonexistent-dir/x.xlsx";
  Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path_, "Orders", kColumns);
  bool refused = !writer.ok() || !(*writer)->Finish().ok();  // at once or when writing
  EXPECT_TRUE(refused);
}

}  // namespace
}  // namespace imeiflow
