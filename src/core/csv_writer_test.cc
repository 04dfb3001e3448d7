#include "core/csv_writer.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/csv_reader.h"
#include "core/formula_guard.h"

namespace imeiflow {
namespace {

std::string Record(std::vector<std::string> fields) {
  std::string out;
  AppendCsvRecord(fields, &out);
  return out;
}

TEST(CsvWriter, PlainFieldsAreNotQuoted) {
  EXPECT_EQ(Record({"a", "356938035643809", "$0.08", ""}), "a,356938035643809,$0.08,\r\n");
}

TEST(CsvWriter, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(Record({"Model: iPhone, 128GB"}), "\"Model: iPhone, 128GB\"\r\n");
  EXPECT_EQ(Record({"say \"hi\""}), "\"say \"\"hi\"\"\"\r\n");
  EXPECT_EQ(Record({"a\nb", "c\rd", "e\r\nf"}), "\"a\nb\",\"c\rd\",\"e\r\nf\"\r\n");
}

TEST(ExcelDigitsCell, DigitsBecomeAnExcelTextFormulaAndComeBack) {
  EXPECT_EQ(ExcelDigitsCell("352099001761481"), "=\"352099001761481\"");
  EXPECT_EQ(ReadExcelDigitsCell("=\"352099001761481\""), "352099001761481");
  EXPECT_EQ(Record({ExcelDigitsCell("352099001761481")}), "\"=\"\"352099001761481\"\"\"\r\n");
  std::string csv = Record({"a", ExcelDigitsCell("352099001761481")});
  CsvReader reader(csv, ',');
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(ReadExcelDigitsCell(record.fields[1]), "352099001761481");
}

TEST(ExcelDigitsCell, OnlyDigitsAreWrappedSoSupplierTextNeverBecomesAFormula) {
  // Anything but digits is left alone: the formula guard has already
  // neutralised it, and stays the only thing that decides about such text.
  for (std::string_view text : {"", "35209900176148a", "=1+1", "'=1+1", "=\"1\"&CMD()", "-5",
                                "123456789012345678901", " 352099001761481"}) {
    EXPECT_EQ(ExcelDigitsCell(text), text);
  }
  std::string guarded = NeutraliseFormula("=HYPERLINK(\"http://x\")");
  EXPECT_EQ(ExcelDigitsCell(guarded), guarded);
  EXPECT_FALSE(NeedsFormulaGuard("352099001761481")) << "digits never needed the guard";
  // Reading back leaves everything but the exact wrapped digits unchanged.
  for (std::string_view text : {"=\"35a\"", "=\"\"", "=\"1", "'=\"1\"", "=1"}) {
    EXPECT_EQ(ReadExcelDigitsCell(text), text);
  }
}

TEST(CsvWriter, KeepsUtf8BytesAsTheyAre) {
  EXPECT_EQ(Record({"Carrier: Télécom ✓"}), "Carrier: Télécom ✓\r\n");
}

TEST(CsvWriter, StringViewsWriteTheSameBytes) {
  std::vector<std::string_view> views = {"x,y", "z"};
  std::string out;
  AppendCsvRecord(views, &out);
  EXPECT_EQ(out, Record({"x,y", "z"}));
}

TEST(CsvWriter, TheReaderGetsTheFieldsBack) {
  std::vector<std::string> fields = {"a,b", "\"q\"", "line1\nline2", "cr\rlf\r\n", "", "'=1"};
  std::string text = Record(fields) + Record({"next"});
  CsvReader reader(text, ',');
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.fields, fields);
  EXPECT_EQ(record.line, 1);
  ASSERT_TRUE(reader.Next(&record));
  EXPECT_EQ(record.fields, std::vector<std::string>{"next"});
  EXPECT_EQ(record.line, 4);  // the first record spans lines 1 to 3
  EXPECT_FALSE(reader.Next(&record));
}

}  // namespace
}  // namespace imeiflow
