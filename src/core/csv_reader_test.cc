#include "core/csv_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace imeiflow {
namespace {

std::vector<CsvRecord> ReadAll(std::string_view data, char delimiter = ',') {
  CsvReader reader(data, delimiter);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (reader.Next(&record)) records.push_back(record);
  return records;
}

TEST(CsvReaderTest, PlainRecordsWithLineNumbers) {
  auto r = ReadAll("a,b,c\r\n1,2,3\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r[0].raw, "a,b,c");
  EXPECT_EQ(r[1].line, 2);
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"1", "2", "3"}));
}

TEST(CsvReaderTest, QuotedFieldsWithDelimitersEscapesAndNewlines) {
  auto r = ReadAll("\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",352099001761481\nlast,1\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"x, y", "say \"hi\""}));
  EXPECT_EQ(r[1].line, 2);
  EXPECT_EQ(r[1].fields[0], "two\nlines");
  EXPECT_EQ(r[1].field_lines, (std::vector<int>{2, 3}));
  EXPECT_EQ(r[2].line, 4);
}

TEST(CsvReaderTest, OtherDelimiters) {
  auto semi = ReadAll("a;b\n1;2", ';');
  ASSERT_EQ(semi.size(), 2u);
  EXPECT_EQ(semi[1].fields, (std::vector<std::string>{"1", "2"}));
  auto tab = ReadAll("a\tb", '\t');
  EXPECT_EQ(tab[0].fields.size(), 2u);
}

TEST(CsvReaderTest, BlankRecords) {
  auto r = ReadAll("\n,,\nx\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[0].Blank());
  EXPECT_TRUE(r[1].Blank());
  EXPECT_FALSE(r[2].Blank());
  EXPECT_EQ(r[2].line, 3);
}

TEST(CsvReaderTest, UnbalancedQuoteIsReportedAndLaterRecordsSurvive) {
  auto r = ReadAll("1,ok\n2,\"broken\n3,fine\n4,last\n");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_FALSE(r[0].unbalanced_quote);
  EXPECT_TRUE(r[1].unbalanced_quote);
  EXPECT_EQ(r[1].line, 2);
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"2", "\"broken"}));
  EXPECT_EQ(r[2].line, 3);
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"3", "fine"}));
  EXPECT_EQ(r[3].line, 4);
}

TEST(CsvReaderTest, StrayQuotesAreKept) {
  auto r = ReadAll("ab\"c,\"d\"e\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"ab\"c", "de"}));
}

TEST(CsvReaderTest, FieldCountIsBounded) {
  std::string wide(5000, ',');
  auto r = ReadAll(wide);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].fields.size(), kMaxCsvFields);
}

}  // namespace
}  // namespace imeiflow
