// Both programs print their version and commit with --version and exit 0.
#include <gtest/gtest.h>

#include <regex>

#include "process_util.h"

namespace imeiflow::integration {
namespace {

const std::regex kVersionLine(R"((imeiflow|imeiflow-sim) \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,}|unknown)\)\n)");

TEST(VersionCliTest, ImeiflowPrintsVersionAndCommit) {
  ProcessRun run = RunImeiflow({"--version"}, {});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(std::regex_match(run.out, kVersionLine)) << run.out;
  EXPECT_EQ(run.out.rfind("imeiflow ", 0), 0u) << run.out;
}

TEST(VersionCliTest, SimPrintsTheSameVersion) {
  TempDir dir;
  ChildProcess sim({std::string(IMEIFLOW_BINARY_DIR) + "/src/imeiflow-sim", "--version"}, {},
                   dir.File("out"), dir.File("err"));
  EXPECT_EQ(sim.WaitFor(kRunLimit), 0) << ReadAll(dir.File("err"));
  std::string out = ReadAll(dir.File("out"));
  EXPECT_TRUE(std::regex_match(out, kVersionLine)) << out;
  std::string own = RunImeiflow({"--version"}, {}).out;
  EXPECT_EQ(out.substr(std::string("imeiflow-sim").size()), own.substr(std::string("imeiflow").size()));
}

}  // namespace
}  // namespace imeiflow::integration
