#include "sim/ledger.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/imei_check.h"
#include "sim/manual_clock_for_test.h"

namespace imeiflow::sim {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("sim_ledger_test_" + std::to_string(getpid()) + ".csv"))
                .string();
    std::filesystem::remove(path_);
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
};

TEST_F(LedgerTest, WritesHeaderOnceAndOneLinePerOrder) {
  Catalogue catalogue = Catalogue::BuiltIn();
  ManualClock clock;
  OrderBook book({}, clock);
  PlaceOutcome out = book.Place(*catalogue.Find("3201"), {NthImei(1), NthImei(2)}, 9);
  {
    auto ledger = Ledger::Open(path_);
    ASSERT_TRUE(ledger.ok()) << ledger.status().message();
    ASSERT_TRUE((*ledger)->Append(out.created, "ok").ok());
  }
  {
    auto ledger = Ledger::Open(path_);  // reopened: appends, no second header
    ASSERT_TRUE(ledger.ok());
    ASSERT_TRUE((*ledger)->Append({out.created[0]}, "reset").ok());
  }
  std::string expected = std::string(Ledger::Header()) + "\n" + "1763091180.000,1000001,3201," +
                         NthImei(1) + ",2.50,9,ok\n" + "1763091180.000,1000002,3201," + NthImei(2) +
                         ",2.50,9,ok\n" + "1763091180.000,1000001,3201," + NthImei(1) +
                         ",2.50,9,reset\n";
  EXPECT_EQ(ReadAll(path_), expected);
}

TEST_F(LedgerTest, UnwritablePathIsAnIoErrorNamingIt) {
  auto ledger = Ledger::Open("/nonexistent/dir/ledger.csv");
  ASSERT_FALSE(ledger.ok());
  EXPECT_EQ(ledger.status().code(), StatusCode::kIoError);
  EXPECT_NE(ledger.status().message().find("/nonexistent/dir/ledger.csv"), std::string::npos);
}

}  // namespace
}  // namespace imeiflow::sim
