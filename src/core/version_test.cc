#include "core/version.h"

#include <gtest/gtest.h>

#include <regex>

namespace imeiflow {
namespace {

TEST(VersionLineTest, NamesProgramVersionAndCommit) {
  std::string line = VersionLine("imeiflow");
  EXPECT_TRUE(std::regex_match(line, std::regex(R"(imeiflow \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,}|unknown)\))")))
      << line;
}

TEST(VersionLineTest, UsesTheProgramName) {
  EXPECT_EQ(VersionLine("imeiflow-sim").rfind("imeiflow-sim ", 0), 0u);
}

}  // namespace
}  // namespace imeiflow
