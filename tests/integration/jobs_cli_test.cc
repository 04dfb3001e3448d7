// Runs the built `imeiflow jobs` on a real database file: an aligned table
// in the shop's words, --json with machine names, --state and --since.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "process_util.h"
#include "store/database.h"

namespace imeiflow {
namespace {

using integration::ProcessRun;

class JobsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(db_path_);
    ASSERT_TRUE(db.ok()) << db.status().message();
    // Job 1 (2026-11-29) done: 2 completed orders and 1 rejected (not yet
    // refunded: 3 x 8 cents spent); job 2
    // (2026-12-01) cancelled with nothing sent.
    Status s = (*db)->Exec(
        "INSERT INTO jobs(id, service_id, price_cents, created_at, cancelled_at) VALUES"
        " (1, '1739', 8, 1795910400000, NULL), (2, '1739', 8, 1796083200000, 1796083300000);"
        "INSERT INTO orders(id, imei, service_id, status, price_cents, job_id, placed_at,"
        " updated_at) VALUES (1, 'a', '1739', 'completed', 8, 1, 0, 0),"
        " (2, 'b', '1739', 'completed', 8, 1, 0, 0), (3, 'c', '1739', 'rejected', 8, 1, 0, 0);"
        "INSERT INTO items(job_id, line, input, imei, state, order_id, updated_at) VALUES"
        " (1, 1, 'a', 'a', 'accepted', 1, 0), (1, 2, 'b', 'b', 'accepted', 2, 0),"
        " (1, 3, 'c', 'c', 'accepted', 3, 0), (2, 1, 'd', 'd', 'cancelled', NULL, 0);");
    ASSERT_TRUE(s.ok()) << s.message();
  }

  ProcessRun Jobs(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_path_, "jobs"});
    return integration::RunImeiflow(std::move(args), {});
  }

  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  integration::TempDir dir_;
  std::string db_path_ = dir_.File("t.db");
};

TEST_F(JobsCliTest, PrintsAnAlignedTableWithHeadersInTheShopsWords) {
  ProcessRun run = Jobs({});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_EQ(lines[0].rfind("ID  STATE      CREATED (UTC)     SERVICE  IMEIS   COST  RESULTS", 0),
            0u)
      << run.out;
  EXPECT_EQ(lines[1], " 2  cancelled  2026-12-01T00:00  1739         1  $0.00  0/0/0") << run.out;
  EXPECT_EQ(lines[2], " 1  finished   2026-11-29T00:00  1739         3  $0.24  2/1/0") << run.out;
}

TEST_F(JobsCliTest, FiltersByStateAndSinceAndJsonKeepsMachineNames) {
  ProcessRun done = Jobs({"--state", "done", "--json"});
  ASSERT_EQ(done.exit_code, 0) << done.err;
  nlohmann::json jobs = nlohmann::json::parse(done.out)["jobs"];
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0]["job"], 1);
  EXPECT_EQ(jobs[0]["state"], "done");

  ProcessRun since = Jobs({"--since", "2026-11-30"});
  ASSERT_EQ(since.exit_code, 0) << since.err;
  EXPECT_EQ(Lines(since.out).size(), 2u) << since.out;
  EXPECT_NE(since.out.find("cancelled"), std::string::npos);

  ProcessRun bad = Jobs({"--since", "yesterday"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("--since: \"yesterday\" is not a date"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace imeiflow
