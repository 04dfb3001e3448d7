// Runs the built `imeiflow check` on real files and on standard input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process_util.h"

namespace imeiflow {
namespace {

using integration::ProcessRun;

std::string TempPath(const std::string& stem) {
  static int counter = 0;
  return std::string(P_tmpdir) + "/imeiflow_check_" + stem + "_" + std::to_string(::getpid()) +
         "_" + std::to_string(counter++);
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Runs `imeiflow <args>`, feeding `stdin_path` (or /dev/null) as standard input.
ProcessRun Imeiflow(std::vector<std::string> args, const std::string& stdin_path = "/dev/null") {
  return integration::RunImeiflow(std::move(args), {}, stdin_path);
}

TEST(CheckCliTest, AllValidFileExitsZero) {
  std::string path = TempPath("valid") + ".txt";
  WriteFile(path, "352099001761481\n490154203237518\n352099001761481\n86735603123456\n");
  ProcessRun run = Imeiflow({"check", path});
  std::remove(path.c_str());
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("3 valid IMEIs"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1 duplicate"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("line 3: 352099001761481, first on line 1"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("line 4: \"86735603123456\" -> 867356031234568"), std::string::npos)
      << run.out;
}

TEST(CheckCliTest, ExampleFileReportsInvalidLinesAndExitsOne) {
  std::string example = std::string(IMEIFLOW_SOURCE_DIR) + "/examples/imeis.txt";
  ProcessRun run = Imeiflow({"check", example});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("line 10: \"3.52099E+14\": a number in scientific notation"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("line 8: \"358476312345672\": check digit should be 1"), std::string::npos)
      << run.out;
}

TEST(CheckCliTest, JsonFromStdinIsOneObject) {
  std::string example = std::string(IMEIFLOW_SOURCE_DIR) + "/examples/imeis.csv";
  ProcessRun run = Imeiflow({"check", "--json", "-"}, example);
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json j = nlohmann::json::parse(run.out);  // throws (fails) on anything else
  EXPECT_EQ(j["valid"], j["imeis"].size());
  EXPECT_EQ(j["imeis"][0], "352099001761481");
  ASSERT_FALSE(j["invalid"].empty());
  EXPECT_EQ(j["invalid"][0]["line"], 6);
  EXPECT_EQ(j["invalid"][0]["input"], "3.52099E+14");
  EXPECT_EQ(j["duplicates"][0]["imei"], "356938035643809");
  EXPECT_EQ(j["completed"][0]["imei"], "867356031234568");
}

TEST(CheckCliTest, JsonStaysValidWithInvalidUtf8) {
  std::string path = TempPath("bad_utf8") + ".txt";
  WriteFile(path, std::string("352099001761481\n\xC3\x28\xFF\x00zz\n", 22));
  ProcessRun run = Imeiflow({"check", "--json", path});
  std::remove(path.c_str());
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json j = nlohmann::json::parse(run.out);
  ASSERT_EQ(j["invalid"].size(), 1u);
  EXPECT_EQ(j["invalid"][0]["line"], 2);
  std::string input = j["invalid"][0]["input"];
  EXPECT_NE(input.find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
}

TEST(CheckCliTest, EmptyInputIsFine) {
  ProcessRun run = Imeiflow({"check", "--json", "-"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out);
  EXPECT_EQ(j["valid"], 0);
  EXPECT_TRUE(j["invalid"].empty());
}

TEST(CheckCliTest, MissingFileNamesItAndExitsOne) {
  ProcessRun run = Imeiflow({"check", "/nonexistent/imeis.txt"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("/nonexistent/imeis.txt"), std::string::npos) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST(CheckCliTest, CorruptXlsxIsAnErrorNamingTheFile) {
  std::string path = TempPath("corrupt") + ".xlsx";
  WriteFile(path, std::string("PK\x03\x04garbage that is no zip", 30));
  ProcessRun run = Imeiflow({"check", "--json", path});
  std::remove(path.c_str());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find(path), std::string::npos) << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out);
  EXPECT_TRUE(j.contains("error"));
}

TEST(CheckCliTest, MissingArgumentIsAUsageError) {
  ProcessRun run = Imeiflow({"check"});
  EXPECT_EQ(run.exit_code, 2);
}

}  // namespace
}  // namespace imeiflow
