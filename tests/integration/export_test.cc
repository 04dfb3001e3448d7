// `imeiflow orders`, `export` and `import` as real processes on real database
// files: the supplier's CSV layout byte for byte, the XLSX opened with libzip
// and pugixml, round trips, malformed files, idempotence, and an
// accepted_unconfirmed item resolved by an import.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "core/imei.h"
#include "core/zip_test_util.h"
#include "process_util.h"
#include "store/database.h"
#include "store/order_repository.h"

namespace imeiflow {
namespace {

using integration::ProcessRun;
using integration::ReadAll;
using integration::TempDir;

constexpr std::string_view kHeader =
    "SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,ORDER DATE\r\n";
constexpr int64_t kPlaced = 1796020200000;  // 2026-11-30 06:30:00 UTC

// The valid IMEI numbered `n` (check digit from core).
std::string Imei(int64_t n) {
  std::string body = std::to_string(35000000000000 + n);
  return body + CheckDigit(body);
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A database file with the services the tests use.
class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_path_ = dir_.File("orders.db");
    db_ = OpenDb(db_path_);
  }

  static std::unique_ptr<store::Database> OpenDb(const std::string& path) {
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
    EXPECT_TRUE(db.ok()) << db.status().message();
    if (!db.ok()) return nullptr;
    EXPECT_TRUE((*db)
                    ->Exec("INSERT INTO services(id, title, price_cents, fetched_at) VALUES"
                           " ('1739', 'iPhone Carrier, FMI + SimLock Check', 8, 0),"
                           " ('2001', 'Blacklist Check', 125, 0)")
                    .ok());
    return std::move(*db);
  }

  // Inserts an order and gives it `status` and `code` through SetResult.
  int64_t AddOrder(store::Database& db, const std::string& imei, const std::string& service,
                   const std::string& status, const std::string& code, int64_t placed_at,
                   int64_t cents = 8, const std::string& upstream = "") {
    Result<store::Statement> insert = db.Prepare(
        "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, placed_at,"
        " updated_at) VALUES (nullif(?1, ''), ?2, ?3, 'pending', ?4, ?5, ?5)");
    EXPECT_TRUE(insert.ok());
    insert->Bind(1, upstream).Bind(2, imei).Bind(3, service).Bind(4, cents).Bind(5, placed_at);
    EXPECT_TRUE(insert->Run().ok());
    int64_t id = db.LastInsertId();
    std::optional<store::OrderStatus> stored = store::ParseOrderStatus(status);
    EXPECT_TRUE(stored.has_value()) << status;
    EXPECT_TRUE(store::OrderRepository(db)
                    .SetResult(id, stored.value_or(store::OrderStatus::kPending), code, placed_at)
                    .ok());
    return id;
  }

  ProcessRun Run(std::vector<std::string> args, const std::string& db_path = "") {
    args.insert(args.begin(), {"--db", db_path.empty() ? db_path_ : db_path});
    return integration::RunImeiflow(std::move(args), {{"IMEIFLOW_LOG_LEVEL", "warn"}});
  }

  // Every order, without local ids, job and supplier id, newest first.
  static std::vector<std::string> OrderFacts(store::Database& db) {
    std::vector<std::string> facts;
    Status s = store::OrderRepository(db).ForEach({}, [&](const store::OrderRecord& o) {
      std::string fields;
      for (const ResultFieldColumn& c : ResultFieldColumns()) fields += "|" + o.fields.*c.member;
      facts.push_back(o.imei + "|" + o.service_id + "|" +
                      std::string(store::OrderStatusName(o.status)) + "|" +
                      std::to_string(o.price.cents()) + "|" + std::to_string(o.placed_at) + "|" +
                      o.code + fields);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return facts;
  }

  // Every row of every table an import may touch, as text.
  static std::string Dump(store::Database& db) {
    std::string dump;
    for (const char* sql :
         {"SELECT * FROM orders ORDER BY id", "SELECT * FROM items ORDER BY id",
          "SELECT * FROM audit ORDER BY id", "SELECT * FROM spending ORDER BY day"}) {
      Result<store::Statement> rows = db.Prepare(sql);
      EXPECT_TRUE(rows.ok());
      while (rows.ok() && rows->Step().value()) {
        for (int c = 0; c < 30; ++c) dump += rows->ColumnText(c) + ",";
        dump += "\n";
      }
      dump += "#\n";
    }
    return dump;
  }

  TempDir dir_;
  std::string db_path_;
  std::unique_ptr<store::Database> db_;
};

TEST_F(ExportTest, CsvHasTheSuppliersHeaderQuotingAndFormulaGuard) {
  AddOrder(*db_, Imei(1), "1739", "completed",
           "Model: iPhone 13, 128GB - Carrier: \"AT&T\" - SimLock: Locked - FMI: ON", kPlaced);
  AddOrder(*db_, Imei(2), "2001", "rejected", "=HYPERLINK(\"http://x\")\nline two", kPlaced + 1000,
           125);
  AddOrder(*db_, Imei(3), "9999", "in_process", "", kPlaced + 2000);  // service not cached
  ProcessRun run = Run({"export"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::string expected =
      std::string(kHeader) + "9999," + Imei(3) + ",$0.08,In Process,,,,,,,2026-11-30 06:30:02\r\n" +
      "Blacklist Check," + Imei(2) +
      ",$1.25,Rejected,\"'=HYPERLINK(\"\"http://x\"\")\nline two\",,,,,,2026-11-30 06:30:01\r\n" +
      "\"iPhone Carrier, FMI + SimLock Check\"," + Imei(1) +
      ",$0.08,Completed,\"Model: iPhone 13, 128GB - Carrier: \"\"AT&T\"\" - SimLock: Locked - FMI: "
      "ON\",,\"\"\"AT&T\"\"\",Locked,\"iPhone 13, 128GB\",ON,2026-11-30 06:30:00\r\n";
  EXPECT_EQ(run.out, expected);
}

TEST_F(ExportTest, FiltersApplyToTheExport) {
  AddOrder(*db_, Imei(1), "1739", "completed", "a", kPlaced);
  AddOrder(*db_, Imei(2), "1739", "pending", "", kPlaced + 86400000);
  AddOrder(*db_, Imei(3), "2001", "completed", "b", kPlaced + 2 * 86400000);
  ProcessRun run = Run({"export", "--status", "completed", "--until", "2026-12-01"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find(Imei(2)), std::string::npos);
  EXPECT_EQ(run.out.find(Imei(3)), std::string::npos);
  EXPECT_NE(run.out.find(Imei(1)), std::string::npos);

  std::string list = dir_.File("list.txt");
  WriteFile(list, Imei(3) + "; " + Imei(2) + "\n");
  run = Run({"export", "--imei-file", list, "--service", "2001"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find(Imei(3)), std::string::npos);
  // A listed IMEI without a matching order is a row of its own.
  EXPECT_NE(run.out.find("," + Imei(2) + ",,no order,"), std::string::npos) << run.out;

  EXPECT_EQ(Run({"export", "--format", "xlsx"}).exit_code, 2);  // needs -o
  EXPECT_EQ(Run({"export", "--since", "yesterday"}).exit_code, 2);
}

TEST_F(ExportTest, XlsxHasTextImeisTheHeaderAndAnAutofilter) {
  AddOrder(*db_, Imei(1), "1739", "completed", "Model: iPhone - IMEI2: " + Imei(9), kPlaced);
  AddOrder(*db_, Imei(2), "2001", "completed", "-1", kPlaced + 1000);
  std::string path = dir_.File("orders.xlsx");
  ProcessRun run = Run({"export", "--format", "xlsx", "-o", path});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("2 orders written"), std::string::npos) << run.err;

  std::string xml = ZipEntry(path, "xl/worksheets/sheet1.xml");
  pugi::xml_document sheet;
  ASSERT_TRUE(sheet.load_buffer(xml.data(), xml.size())) << xml.substr(0, 200);
  auto cell = [&](const std::string& ref) {
    return sheet.select_node(("//*[local-name()='c'][@r='" + ref + "']").c_str()).node();
  };
  auto text = [&](const std::string& ref) {
    return std::string(cell(ref).select_node(".//*[local-name()='t']").node().text().get());
  };
  std::vector<std::string> header;
  for (char column = 'A'; column <= 'K'; ++column)
    header.push_back(text(column + std::string("1")));
  EXPECT_EQ(header,
            (std::vector<std::string>{"SERVICE", "IMEI NO.", "CREDITS", "STATUS", "CODE", "IMEI 2",
                                      "CARRIER", "SIMLOCK", "MODEL", "FMI", "ORDER DATE (UTC)"}));
  // CREDITS a number cell, ORDER DATE a date cell (their formats: xlsx_writer_test).
  for (const char* ref : {"C2", "K2"}) {
    EXPECT_STREQ(cell(ref).attribute("t").value(), "") << ref << " is not a number cell";
    EXPECT_TRUE(cell(ref).attribute("s")) << ref << " has no number format";
  }
  for (const char* ref : {"B2", "B3", "F3"}) {
    std::string type = cell(ref).attribute("t").value();
    EXPECT_TRUE(type == "inlineStr" || type == "s") << ref << ": t=\"" << type << "\"";
  }
  EXPECT_EQ(text("B2"), Imei(2));  // newest first
  EXPECT_EQ(text("B3"), Imei(1));
  EXPECT_EQ(text("F3"), Imei(9));
  EXPECT_EQ(text("E2"), "'-1");  // neutralised
  EXPECT_EQ(text("A2"), "Blacklist Check");
  pugi::xml_node filter = sheet.select_node("//*[local-name()='autoFilter']").node();
  ASSERT_TRUE(filter);
  EXPECT_STREQ(filter.attribute("ref").value(), "A1:K3");
  // Nothing is left behind under a temporary name.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()),
                          std::filesystem::directory_iterator()),
            4);  // orders.db, -wal, -shm, orders.xlsx
}

TEST_F(ExportTest, RoundTripIntoAnEmptyDatabaseGivesTheSameOrders) {
  AddOrder(*db_, Imei(1), "1739", "completed",
           "Model: iPhone 13 - IMEI2: " + Imei(7) + " - Carrier: =cmd - SimLock: Unlocked",
           kPlaced);
  AddOrder(*db_, Imei(2), "1739", "rejected", "Invalid IMEI, \"try again\"\r\nlater",
           kPlaced + 1000);
  AddOrder(*db_, Imei(3), "2001", "pending", "", kPlaced + 2000, 125);
  AddOrder(*db_, Imei(4), "2001", "unconfirmed", "", kPlaced + 3000, 125);
  AddOrder(*db_, Imei(5), "1739", "completed", "@SUM(1)\t+x", kPlaced + 4000, 123456);
  std::string csv = dir_.File("export.csv");
  ASSERT_EQ(Run({"export", "-o", csv}).exit_code, 0);

  std::string empty_path = dir_.File("empty.db");
  std::unique_ptr<store::Database> empty = OpenDb(empty_path);
  ProcessRun run = Run({"import", "--json", csv}, empty_path);
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["inserted"], 5);
  EXPECT_TRUE(report["errors"].empty());
  EXPECT_EQ(OrderFacts(*empty), OrderFacts(*db_));

  // And exporting the imported database gives the same file.
  ProcessRun again = Run({"export"}, empty_path);
  EXPECT_EQ(again.out, ReadAll(csv));
}

TEST_F(ExportTest, ReimportingAFileChangesNothing) {
  AddOrder(*db_, Imei(1), "1739", "pending", "", kPlaced, 8, "u1");
  std::string file = dir_.File("supplier.csv");
  WriteFile(file, std::string(kHeader) + "\"iPhone Carrier, FMI + SimLock Check\"," + Imei(1) +
                      ",$0.08,Completed,Model: iPhone 12 - FMI: OFF,,,,,,2026-11-30 6:30:05\r\n"
                      "Blacklist Check," +
                      Imei(2) + ",$1.25,Completed,Clean,,,,,,2026-11-29 23:59:59\r\n");
  ProcessRun first = Run({"import", file});
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("1 inserted, 1 updated, 0 unchanged"), std::string::npos) << first.out;
  std::string after_first = Dump(*db_);
  ProcessRun second = Run({"import", file});
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("0 inserted, 0 updated, 2 unchanged"), std::string::npos) << second.out;
  EXPECT_EQ(Dump(*db_), after_first);

  ProcessRun search = Run({"orders", "--json", "--imei", Imei(1) + "," + Imei(3)});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  nlohmann::json found = nlohmann::json::parse(search.out);
  ASSERT_EQ(found["orders"].size(), 1u);
  EXPECT_EQ(found["orders"][0]["upstream_id"], "u1");
  EXPECT_EQ(found["orders"][0]["status"], "completed");
  EXPECT_EQ(found["orders"][0]["code"], "Model: iPhone 12 - FMI: OFF");
  EXPECT_EQ(found["orders"][0]["fields"]["model"], "iPhone 12");
  EXPECT_EQ(found["orders"][0]["fields"]["fmi"], "OFF");
  EXPECT_EQ(found["orders"][0]["fields"].size(), ResultFieldColumns().size());
  EXPECT_EQ(found["not_found"], nlohmann::json::array({Imei(3)}));
}

TEST_F(ExportTest, MalformedFileReportsLinesAndImportsTheGoodRows) {
  std::string file = dir_.File("bad.csv");
  WriteFile(file,
            std::string(kHeader) + "Blacklist Check," + Imei(1) +
                ",$1.25,Completed,ok,,,,,,2026-11-30 06:30:00\r\n"
                "Blacklist Check,352099001761482,$1.25,Completed,x,,,,,,2026-11-30 06:30:00\r\n"
                "Blacklist Check," +
                Imei(2) +
                ",one dollar,Completed,x,,,,,,2026-11-30 06:30:00\r\n"
                "No Such Service," +
                Imei(3) +
                ",$1.25,Completed,x,,,,,,2026-11-30 06:30:00\r\n"
                "Blacklist Check," +
                Imei(4) +
                ",$1.25\r\n"
                "Blacklist Check," +
                Imei(5) +
                ",$1.25,Completed,\"two\nlines\",,,,,,2026-11-30 06:30:00\r\n"
                "Blacklist Check," +
                Imei(6) + ",$1.25,Completed,x,,,,,,2026-11-30 25:00:00\r\n");
  ProcessRun run = Run({"import", file});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  for (const char* line : {":3: IMEI NO.", ":4: CREDITS", ":5: SERVICE \"No Such Service\"",
                           ":6: 3 columns", ":9: ORDER DATE"}) {
    EXPECT_NE(run.out.find(file + line), std::string::npos) << line << "\n" << run.out;
  }
  EXPECT_NE(run.out.find("2 inserted, 0 updated, 0 unchanged, 5 rows with errors"),
            std::string::npos)
      << run.out;
  std::vector<std::string> facts = OrderFacts(*db_);
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(facts[0].substr(0, 15), Imei(5));  // same time: the higher id first
  EXPECT_EQ(facts[1].substr(0, 15), Imei(1));

  std::string wrong = dir_.File("wrong.csv");
  WriteFile(wrong, "IMEI,STATUS\r\n" + Imei(1) + ",Completed\r\n");
  ProcessRun header = Run({"import", wrong});
  EXPECT_EQ(header.exit_code, 1);
  EXPECT_NE(header.err.find("line 1: the header must be exactly"), std::string::npos) << header.err;
}

TEST_F(ExportTest, ImportResolvesAnAcceptedUnconfirmedItem) {
  // What the dispatcher leaves when the supplier said "already exists" for a
  // call that may have landed earlier: an unconfirmed order without an id.
  ASSERT_TRUE(db_->Exec("INSERT INTO jobs(id, service_id, price_cents, created_at)"
                        " VALUES (1, '1739', 8, 0)")
                  .ok());
  int64_t order = AddOrder(*db_, Imei(1), "1739", "unconfirmed", "", kPlaced + 7000);
  ASSERT_TRUE(db_->Exec("UPDATE orders SET job_id = 1;"
                        "INSERT INTO items(id, job_id, line, input, imei, state, order_id,"
                        " updated_at) VALUES (1, 1, 1, '" +
                        Imei(1) + "', '" + Imei(1) + "', 'accepted_unconfirmed', " +
                        std::to_string(order) + ", 0)")
                  .ok());
  std::string file = dir_.File("supplier.csv");
  WriteFile(file, std::string(kHeader) + "\"iPhone Carrier, FMI + SimLock Check\"," + Imei(1) +
                      ",$0.08,Completed,Model: iPhone 14 - SimLock: Unlocked,,,,,,"
                      "2026-11-30 06:30:00\r\n");
  ProcessRun run = Run({"import", "--json", file});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  nlohmann::json report = nlohmann::json::parse(run.out);
  EXPECT_EQ(report["resolved_unconfirmed"], 1);
  EXPECT_EQ(report["resolved_uncertain"], 0);
  EXPECT_EQ(report["updated"], 1);
  EXPECT_EQ(report["inserted"], 0);

  ProcessRun job = Run({"job", "1", "--json"});
  nlohmann::json counts = nlohmann::json::parse(job.out)["counts"];
  EXPECT_EQ(counts["accepted"], 1) << job.out;
  EXPECT_EQ(counts["accepted_unconfirmed"], 0) << job.out;
  ProcessRun search = Run({"orders", "--json", "--imei", Imei(1)});
  nlohmann::json found = nlohmann::json::parse(search.out);
  ASSERT_EQ(found["orders"].size(), 1u);
  EXPECT_EQ(found["orders"][0]["status"], "completed");
  EXPECT_EQ(found["orders"][0]["job"], 1);
  EXPECT_EQ(found["orders"][0]["fields"]["simlock"], "Unlocked");
}

TEST_F(ExportTest, SearchFor50000PastedImeisFindsEveryOrder) {
  ASSERT_TRUE(db_->Exec("BEGIN").ok());
  for (int i = 0; i < 2000; ++i) {
    AddOrder(*db_, Imei(i * 25), "1739", "completed", "", kPlaced + i);
  }
  ASSERT_TRUE(db_->Exec("COMMIT").ok());
  // 50,000 IMEIs, every 25th with an order, separated every way people paste.
  std::string pasted;
  const char* separators[] = {"\n", ", ", "; ", "\t", " ", "\r\n"};
  for (int i = 0; i < 50000; ++i) pasted += Imei(i) + separators[i % 6];
  std::string list = dir_.File("pasted.txt");
  WriteFile(list, pasted);
  ProcessRun run = Run({"orders", "--json", "--limit", "100000", "--imei-file", list});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json found = nlohmann::json::parse(run.out);
  EXPECT_EQ(found["orders"].size(), 2000u);
  EXPECT_EQ(found["not_found"].size(), 48000u);
  EXPECT_EQ(found["orders"][0]["imei"], Imei(0));  // in the pasted order
}

}  // namespace
}  // namespace imeiflow
