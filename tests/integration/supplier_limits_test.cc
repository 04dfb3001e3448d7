// A hostile or careless supplier setup, end to end with real processes
// (imeiflow against imeiflow-sim on 127.0.0.1): a password in upstream.url
// never reaches doctor's output or errors, and an oversized service list is
// refused with a clear error before anything of it is cached
// (attack-run rows 23 and 24 of issue 11).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "process_util.h"

namespace imeiflow::integration {
namespace {

constexpr const char* kPassword = "S3cretPassw0rd";

// `url` ("http://127.0.0.1:PORT") with user-info holding kPassword.
std::string WithPassword(const std::string& url) {
  return "http://shop:" + std::string(kPassword) + "@" + url.substr(std::string("http://").size());
}

TEST(SupplierSecrets, DoctorMasksThePasswordInTheUrl) {
  Sim sim;
  ASSERT_FALSE(sim.url().empty());
  ProcessRun run = RunImeiflow({"doctor"}, SupplierEnv(WithPassword(sim.url())));
  EXPECT_EQ((run.out + run.err).find(kPassword), std::string::npos) << run.out << run.err;
  std::string shown = "http://***@" + sim.url().substr(std::string("http://").size());
  EXPECT_NE(run.out.find("upstream.url: " + shown), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("supplier reachable: " + shown + "/gsmfusion_api/index.php answers"),
            std::string::npos)
      << run.out;
}

TEST(SupplierSecrets, UnreachableSupplierErrorsMaskThePassword) {
  std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort());
  ProcessRun doctor = RunImeiflow({"doctor", "--json"}, SupplierEnv(WithPassword(url)));
  EXPECT_EQ(doctor.exit_code, 1);
  EXPECT_EQ((doctor.out + doctor.err).find(kPassword), std::string::npos) << doctor.out;
  EXPECT_NE(doctor.out.find("cannot reach http://***@127.0.0.1:"), std::string::npos) << doctor.out;

  ProcessRun services = RunImeiflow({"services"}, SupplierEnv(WithPassword(url)));
  EXPECT_EQ(services.exit_code, 1);
  EXPECT_EQ((services.out + services.err).find(kPassword), std::string::npos) << services.err;
  EXPECT_NE(services.err.find("cannot reach http://***@127.0.0.1:"), std::string::npos)
      << services.err;
}

// Runs `imeiflow services --refresh` against a simulator selling `catalogue`
// (a JSON array); the database it would cache into is `db`.
ProcessRun RefreshFrom(const nlohmann::json& catalogue, const TempDir& dir, std::string db) {
  std::ofstream(dir.File("catalogue.json")) << catalogue.dump();
  Sim sim({"--services", dir.File("catalogue.json")});
  if (sim.url().empty()) return {};
  std::map<std::string, std::string> env = SupplierEnv(sim.url());
  env["IMEIFLOW_DB"] = std::move(db);
  return RunImeiflow({"services", "--refresh"}, env);
}

nlohmann::json Service(const std::string& id, std::string title, std::string must_read = "") {
  return {{"id", id},
          {"title", std::move(title)},
          {"price", "0.08"},
          {"must_read", std::move(must_read)}};
}

TEST(SupplierLimits, OverlongServiceTitleIsRefusedBeforeCaching) {
  TempDir dir;
  nlohmann::json catalogue = {Service("1739", "fine"), Service("1740", std::string(1001, 'T'))};
  ProcessRun run = RefreshFrom(catalogue, dir, dir.File("imeiflow.db"));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("package 1740: PackageTitle is 1001 characters long; at most 1000 are"
                         " accepted"),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("imeiflow.db")));  // nothing was cached
}

TEST(SupplierLimits, TooManyServicesAreRefusedBeforeCaching) {
  TempDir dir;
  nlohmann::json catalogue = nlohmann::json::array();
  for (int i = 0; i < 20'001; ++i) catalogue.push_back(Service(std::to_string(i), "s"));
  ProcessRun run = RefreshFrom(catalogue, dir, dir.File("imeiflow.db"));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("the supplier lists 20001 services; at most 20000 are accepted"),
            std::string::npos)
      << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("imeiflow.db")));
}

TEST(SupplierLimits, AnswerOver16MbIsRefusedBeforeCaching) {
  TempDir dir;
  nlohmann::json catalogue = nlohmann::json::array();
  for (int i = 0; i < 2'000; ++i)
    catalogue.push_back(Service(std::to_string(i), "s", std::string(9'000, 'n')));  // 18 MB
  ProcessRun run = RefreshFrom(catalogue, dir, dir.File("imeiflow.db"));
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_NE(run.err.find("the supplier's answer is larger than 16 MB"), std::string::npos)
      << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("imeiflow.db")));
}

}  // namespace
}  // namespace imeiflow::integration
