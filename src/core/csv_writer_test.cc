#include "core/csv_writer.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/csv_reader.h"

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
