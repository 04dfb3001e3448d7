// The sheet a job was uploaded as, with its results: a CSV (and an XLSX)
// with a "Stock No" column and 20 rows, some invalid and one a repeat, is
// submitted with the built program against imeiflow-sim on 127.0.0.1 until
// every order has its result; `imeiflow export --job 1 --layout upload`
// then gives the same columns and rows in the same order, each with the
// result the database holds for its IMEI.
#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/csv_reader.h"
#include "core/xlsx_reader.h"
#include "core/xlsx_writer.h"
#include "process_util.h"
#include "sim/imei_check.h"
#include "store/database.h"

namespace imeiflow::integration {
namespace {

constexpr const char* kService = "1739";

// Stock number -> IMEI cell of the uploaded rows (20): 16 valid IMEIs, 3
// invalid entries, and row 21 a repeat of row 2's IMEI.
std::vector<std::array<std::string, 3>> StockRows() {
  std::vector<std::array<std::string, 3>> rows;
  for (int i = 1; i <= 20; ++i) {
    std::string imei = sim::NthImei(8100000 + static_cast<uint64_t>(i));
    if (i == 5) imei = "12345";
    if (i == 9) imei = "not an imei";
    if (i == 14) imei = "35209900176148X";
    if (i == 20) imei = sim::NthImei(8100001);
    rows.push_back({"S-" + std::to_string(100 + i), imei, i % 2 ? "black" : "white"});
  }
  return rows;
}

class JobSheetRun : public ::testing::Test {
 protected:
  JobSheetRun()
      : sim_({"--process-after-ms", "100", "--complete-after-ms", "300", "--reject-ratio", "0.3"}),
        env_(SupplierEnv(sim_.url())) {
    env_["IMEIFLOW_DB"] = dir_.File("t.db");
    env_["IMEIFLOW_LOG_LEVEL"] = "warn";
    env_["IMEIFLOW_SYNC_FIRST_POLL_S"] = "1";
    env_["IMEIFLOW_SYNC_MAX_POLL_INTERVAL_S"] = "1";
  }

  ProcessRun Imeiflow(std::vector<std::string> args) { return RunImeiflow(std::move(args), env_); }

  // Submits `file` and waits until every order has its result.
  void SubmitAndWait(const std::string& file) {
    ASSERT_FALSE(sim_.url().empty());
    ProcessRun submit = Imeiflow(
        {"submit", "--service", kService, "--yes", "--wait", "--until-results", file});
    ASSERT_EQ(submit.exit_code, 0) << submit.err;
  }

  // The supplier's word for the status of `imei`'s order ("" when none).
  std::string StatusWordOf(const std::string& imei) {
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(dir_.File("t.db"));
    if (!db.ok()) return "no database";
    Result<store::Statement> st =
        (*db)->Prepare("SELECT status FROM orders WHERE imei = ?1 AND job_id = 1");
    if (!st.ok()) return "no query";
    st->Bind(1, imei);
    Result<bool> row = st->Step();
    if (!row.ok() || !*row) return "";
    std::string status = st->ColumnText(0);
    return status == "completed" ? "Completed" : status == "rejected" ? "Rejected" : status;
  }

  // Checks `rows` (header first) against StockRows() and the database.
  void ExpectSheet(const std::vector<std::vector<std::string>>& rows, bool csv) {
    std::vector<std::array<std::string, 3>> stock = StockRows();
    ASSERT_EQ(rows.size(), stock.size() + 1);
    ASSERT_GE(rows[0].size(), 10u);
    EXPECT_EQ(rows[0][0], "Stock No");
    EXPECT_EQ(rows[0][1], "IMEI");
    EXPECT_EQ(rows[0][2], "Colour");
    EXPECT_EQ(rows[0][3], "Result");
    EXPECT_EQ(rows[0][9], "Price");
    int completed = 0, rejected = 0;
    for (size_t i = 0; i < stock.size(); ++i) {
      const std::vector<std::string>& row = rows[i + 1];
      ASSERT_GE(row.size(), 10u) << i;
      SCOPED_TRACE(stock[i][0]);
      EXPECT_EQ(row[0], stock[i][0]) << "rows keep their order";
      const std::string& given = stock[i][1];
      bool digits = given.size() >= 12 && given.find_first_not_of("0123456789") == std::string::npos;
      std::string imei_cell = csv && digits ? "=\"" + given + "\"" : given;  // Excel keeps it
      EXPECT_EQ(row[1], imei_cell);
      EXPECT_EQ(row[2], stock[i][2]);
      if (i == 4 || i == 8 || i == 13) {
        EXPECT_EQ(row[3].rfind("not an IMEI", 0), 0u) << row[3];
      } else if (i == 19) {
        EXPECT_EQ(row[3], "repeat of row 2");
      } else {
        std::string word = StatusWordOf(stock[i][1]);
        EXPECT_EQ(row[3], word);
        completed += word == "Completed";
        rejected += word == "Rejected";
        EXPECT_FALSE(row[9].empty()) << "an ordered row has its price";
      }
    }
    EXPECT_EQ(completed + rejected, 16);
  }

  Sim sim_;
  TempDir dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(JobSheetRun, ACsvWithAStockNoColumnComesBackWithResultsInItsOrder) {
  std::string file = dir_.File("stock.csv");
  {
    std::ofstream out(file, std::ios::binary);
    out << "Stock No,IMEI,Colour\r\n";
    for (const auto& row : StockRows()) out << row[0] << "," << row[1] << "," << row[2] << "\r\n";
  }
  SubmitAndWait(file);
  ProcessRun sheet = Imeiflow({"export", "--job", "1", "--layout", "upload"});
  ASSERT_EQ(sheet.exit_code, 0) << sheet.err;
  ASSERT_TRUE(sheet.out.starts_with("\xEF\xBB\xBF"));
  const std::string body = sheet.out.substr(3);
  CsvReader reader(body, ',');
  CsvRecord record;
  std::vector<std::vector<std::string>> rows;
  while (reader.Next(&record)) rows.push_back(record.fields);
  ExpectSheet(rows, true);

  // A job made from pasted text (here a plain list) has no sheet.
  std::string list = dir_.File("list.txt");
  std::ofstream(list) << sim::NthImei(8200001) << "\n";
  ASSERT_EQ(Imeiflow({"submit", "--service", kService, "--yes", list}).exit_code, 0);
  ProcessRun none = Imeiflow({"export", "--job", "2", "--layout", "upload"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("job 2 was not made from an uploaded CSV or XLSX file"),
            std::string::npos)
      << none.err;
  EXPECT_EQ(Imeiflow({"export", "--layout", "upload"}).exit_code, 2) << "needs --job";
}

TEST_F(JobSheetRun, AnXlsxComesBackAsAWorkbookWithResultsInItsOrder) {
  std::string file = dir_.File("stock.xlsx");
  {
    constexpr std::array kColumns = {XlsxColumn{"Stock No", 10}, XlsxColumn{"IMEI", 17},
                                     XlsxColumn{"Colour", 8}};
    Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(file, "Stock", kColumns);
    ASSERT_TRUE(writer.ok());
    for (const auto& row : StockRows()) {
      std::vector<std::string> cells(row.begin(), row.end());
      ASSERT_TRUE((*writer)->AddRow(cells).ok());
    }
    ASSERT_TRUE((*writer)->Finish().ok());
  }
  SubmitAndWait(file);
  EXPECT_EQ(Imeiflow({"export", "--job", "1", "--layout", "upload"}).exit_code, 2)
      << "an XLSX sheet needs -o";
  std::string out = dir_.File("sheet.xlsx");
  ProcessRun sheet = Imeiflow({"export", "--job", "1", "--layout", "upload", "-o", out});
  ASSERT_EQ(sheet.exit_code, 0) << sheet.err;
  std::string bytes = ReadAll(out);
  Result<XlsxSheet> workbook = XlsxSheet::Open(bytes);
  ASSERT_TRUE(workbook.ok()) << workbook.status().message();
  std::vector<std::vector<std::string>> rows;
  ASSERT_TRUE(workbook
                  ->ForEachRow([&](const SheetRow& row) {
                    std::vector<std::string> cells(10);
                    for (int c = 0; c < 10; ++c) cells[static_cast<size_t>(c)] = row.Cell(c);
                    rows.push_back(std::move(cells));
                    return true;
                  })
                  .ok());
  ExpectSheet(rows, false);
}

}  // namespace
}  // namespace imeiflow::integration
