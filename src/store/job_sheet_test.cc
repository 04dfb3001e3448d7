#include "store/job_sheet.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/csv_reader.h"
#include "core/csv_writer.h"
#include "core/xlsx_reader.h"
#include "core/xlsx_writer.h"
#include "store/job_submission.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

constexpr const char* kOrdered = "352099001761481";
constexpr const char* kWaiting = "490154203237518";
constexpr const char* kKnown = "356938035643809";

class JobSheetTest : public TestDatabase {
 protected:
  // Submits `bytes` as an uploaded file; returns the job id.
  int64_t Submit(std::string_view bytes) {
    Result<CheckReport> report = ParseImeiInput(bytes, "stock.csv");
    EXPECT_TRUE(report.ok()) << report.status().message();
    Result<std::optional<UploadedSheet>> sheet = ReadUploadedSheet(bytes);
    EXPECT_TRUE(sheet.ok() && sheet->has_value());
    CachedService service;
    service.id = "1739";
    service.title = "Carrier check";
    service.price = Money::FromCents(8);
    SubmissionOptions how;
    how.source = "stock.csv";
    how.created_by = "test";
    how.sheet = &**sheet;
    Result<Submission> done = SubmitJob(*db_, service, *report, how, 1000);
    EXPECT_TRUE(done.ok()) << done.status().message();
    return done.ok() ? done->job.id : 0;
  }

  // Gives the item of `imei` in `job` an order with `status` and parsed fields.
  void Order(int64_t job, const std::string& imei, const std::string& item_state,
             const std::string& status, const std::string& code, const std::string& fields) {
    ASSERT_TRUE(db_->Exec(fmt::format("INSERT INTO orders(imei, service_id, status, price_cents,"
                                      " placed_at, updated_at, code, job_id{}) VALUES ('{}',"
                                      " '1739', '{}', 8, 2000, 2000, '{}', {}{})",
                                      fields.empty() ? "" : ", carrier, simlock, fmi", imei,
                                      status, code, job, fields))
                    .ok());
    ASSERT_TRUE(db_->Exec(fmt::format("UPDATE items SET state = '{}', order_id = last_insert_rowid()"
                                      " WHERE job_id = {} AND imei = '{}'",
                                      item_state, job, imei))
                    .ok());
  }

  std::string Csv(int64_t job) {
    std::string csv;
    Result<int64_t> rows = WriteJobSheetCsv(*db_, job, [&](std::string_view bytes) {
      csv += bytes;
      return Status::Ok();
    });
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    return csv;
  }

  // A CSV with a Stock No column: an ordered IMEI, an invalid entry, a
  // waiting IMEI, a repeat, a row without IMEI, an IMEI already ordered.
  std::string Upload() {
    return fmt::format(
        "Stock No,IMEI,Colour\r\n"
        "S-001,{0},black\r\n"
        "S-002,12345,white\r\n"
        "S-003,{1},=red\r\n"
        "S-004,{0},black\r\n"
        "S-005,,blue\r\n"
        "S-006,{2},green\r\n",
        kOrdered, kWaiting, kKnown);
  }
};

TEST_F(JobSheetTest, TheUploadedCsvComesBackWithItsRowsInOrderAndTheResults) {
  // An order of kKnown before the job: its item is skipped as already ordered.
  ASSERT_TRUE(db_->Exec(fmt::format("INSERT INTO orders(imei, service_id, status, price_cents,"
                                    " placed_at, updated_at, code, fmi) VALUES ('{}', '1739',"
                                    " 'completed', 8, 1, 1, 'FMI: OFF', 'OFF')",
                                    kKnown))
                  .ok());
  int64_t job = Submit(Upload());
  Order(job, kOrdered, "accepted", "completed", "Carrier: AT&T - SimLock: Locked - FMI: ON",
        ", 'AT&T', 'Locked', 'ON'");
  Result<std::optional<InputFormat>> format = JobSheetFormat(*db_, job);
  ASSERT_TRUE(format.ok() && format->has_value());
  EXPECT_EQ(**format, InputFormat::kCsv);

  std::string csv = Csv(job);
  ASSERT_TRUE(csv.starts_with(std::string(kUtf8ByteOrderMark)));
  const std::string body = csv.substr(kUtf8ByteOrderMark.size());
  CsvReader reader(body, ',');
  CsvRecord record;
  std::vector<std::vector<std::string>> rows;
  while (reader.Next(&record)) rows.push_back(record.fields);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Stock No", "IMEI", "Colour", "Result", "Carrier",
                                               "SIM-lock", "FMI", "Blacklist", "Code / reason",
                                               "Price"}));
  const std::string ordered = fmt::format("=\"{}\"", kOrdered);  // Excel keeps it as text
  EXPECT_EQ(rows[1], (std::vector<std::string>{"S-001", ordered, "black", "Completed", "AT&T",
                                               "Locked", "ON", "",
                                               "Carrier: AT&T - SimLock: Locked - FMI: ON",
                                               "$0.08"}));
  EXPECT_EQ(rows[2][0], "S-002");
  EXPECT_TRUE(rows[2][3].starts_with("not an IMEI: ")) << rows[2][3];
  EXPECT_EQ(rows[3][0], "S-003");
  EXPECT_EQ(rows[3][2], "'=red") << "the uploaded cells are neutralised too";
  EXPECT_EQ(rows[3][3], "waiting to be sent");
  EXPECT_EQ(rows[3][9], "");
  EXPECT_EQ(rows[4][0], "S-004");
  EXPECT_EQ(rows[4][3], "repeat of row 2");
  EXPECT_EQ(rows[5][0], "S-005");
  EXPECT_EQ(rows[5][3], "no IMEI in this row");
  EXPECT_EQ(rows[6][0], "S-006");
  EXPECT_EQ(rows[6][3], "already ordered: Completed");
  EXPECT_EQ(rows[6][6], "OFF");
}

TEST_F(JobSheetTest, AnXlsxUploadComesBackAsAWorkbookWithTextImeisAndANumberPrice) {
  std::string upload = (dir_ / "stock.xlsx").string();
  {
    constexpr std::array kColumns = {XlsxColumn{"Stock No", 10}, XlsxColumn{"IMEI", 17}};
    Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(upload, "Stock", kColumns);
    ASSERT_TRUE(writer.ok());
    for (const char* imei : {kOrdered, "nope", kWaiting}) {
      std::vector<std::string> row = {std::string("S-") + imei, imei};
      ASSERT_TRUE((*writer)->AddRow(row).ok());
    }
    ASSERT_TRUE((*writer)->Finish().ok());
  }
  std::ifstream in(upload, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int64_t job = Submit(bytes);
  Order(job, kOrdered, "accepted", "completed", "FMI: ON", ", '', '', 'ON'");
  Result<std::optional<InputFormat>> format = JobSheetFormat(*db_, job);
  ASSERT_TRUE(format.ok() && format->has_value());
  EXPECT_EQ(**format, InputFormat::kXlsx);

  std::string path = (dir_ / "sheet.xlsx").string();
  Result<int64_t> written = WriteJobSheetXlsx(*db_, job, path);
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ(*written, 4);
  std::ifstream back(path, std::ios::binary);
  std::string out((std::istreambuf_iterator<char>(back)), std::istreambuf_iterator<char>());
  Result<XlsxSheet> sheet = XlsxSheet::Open(out);
  ASSERT_TRUE(sheet.ok());
  std::vector<SheetRow> rows;
  ASSERT_TRUE(sheet->ForEachRow([&](const SheetRow& row) {
                     rows.push_back(row);
                     return true;
                   }).ok());
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].Cell(0), "Stock No");
  EXPECT_EQ(rows[0].Cell(2), "Result");
  EXPECT_EQ(rows[0].Cell(8), "Price");
  EXPECT_EQ(rows[1].Cell(1), kOrdered);
  EXPECT_EQ(rows[1].Cell(2), "Completed");
  EXPECT_EQ(rows[1].Cell(5), "ON");
  EXPECT_EQ(rows[1].Cell(8), "0.08");
  EXPECT_TRUE(std::string(rows[2].Cell(2)).starts_with("not an IMEI")) << rows[2].Cell(2);
  EXPECT_EQ(rows[3].Cell(0), std::string("S-") + kWaiting);
  EXPECT_EQ(rows[3].Cell(2), "waiting to be sent");
}

TEST_F(JobSheetTest, AJobMadeFromPastedTextHasNoSheet) {
  Result<std::optional<UploadedSheet>> sheet = ReadUploadedSheet(std::string(kOrdered) + "\n");
  ASSERT_TRUE(sheet.ok());
  EXPECT_FALSE(sheet->has_value());
  Result<std::optional<InputFormat>> format = JobSheetFormat(*db_, 42);
  ASSERT_TRUE(format.ok());
  EXPECT_FALSE(format->has_value());
  Result<int64_t> rows = WriteJobSheetCsv(*db_, 42, [](std::string_view) { return Status::Ok(); });
  EXPECT_EQ(rows.status().code(), StatusCode::kNotFound);
  EXPECT_NE(rows.status().message().find("not made from an uploaded file"), std::string::npos);
}

}  // namespace
}  // namespace imeiflow::store
