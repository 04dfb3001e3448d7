// Orders known only from a supplier export (imported without a supplier
// order id): `imeiflow sync` and `imeiflow doctor` count them apart from the
// pending orders awaiting a result, the way the orders page shows them
// ("known from the supplier's export; no status polling"), issue 12.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "core/imei.h"
#include "process_util.h"
#include "store/database.h"

namespace imeiflow::integration {
namespace {

std::string Imei(int64_t n) {
  std::string body = std::to_string(35300000000000 + n);
  return body + CheckDigit(body);
}

TEST(KnownFromExport, SyncAndDoctorCountThemApartFromPending) {
  Sim sim;
  ASSERT_FALSE(sim.url().empty());
  TempDir dir;
  const std::string db_path = dir.File("shop.db");
  {
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(db_path);
    ASSERT_TRUE(db.ok()) << db.status().message();
    ASSERT_TRUE((*db)->Exec("INSERT INTO services(id, title, price_cents, fetched_at)"
                            " VALUES ('1739', 'iPhone Check', 8, 0)")
                    .ok());
  }
  const std::string csv = dir.File("export.csv");
  std::ofstream(csv, std::ios::binary)
      << "SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,ORDER DATE\r\n"
      << "iPhone Check," << Imei(1) << ",$0.08,Pending,,,,,,,2026-11-30 06:30:00\r\n"
      << "iPhone Check," << Imei(2) << ",$0.08,Pending,,,,,,,2026-11-30 06:31:00\r\n"
      << "iPhone Check," << Imei(3) << ",$0.08,Completed,FMI: OFF,,,,,,2026-11-30 06:32:00\r\n";
  std::map<std::string, std::string> env = SupplierEnv(sim.url());
  env["IMEIFLOW_DB"] = db_path;
  env["IMEIFLOW_LOG_LEVEL"] = "warn";
  ProcessRun import = RunImeiflow({"import", csv}, env);
  ASSERT_EQ(import.exit_code, 0) << import.out << import.err;

  ProcessRun sync = RunImeiflow({"sync", "--once", "--json"}, env);
  ASSERT_EQ(sync.exit_code, 0) << sync.out << sync.err;
  nlohmann::json report = nlohmann::json::parse(sync.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << sync.out;
  EXPECT_EQ(report["left"]["pending"], 0) << sync.out;
  EXPECT_EQ(report["left"]["known_from_export"], 2) << sync.out;

  ProcessRun text = RunImeiflow({"sync", "--once"}, env);
  ASSERT_EQ(text.exit_code, 0) << text.out << text.err;
  EXPECT_NE(text.out.find("left: 0 pending"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2 known from the supplier's export (no status polling)"),
            std::string::npos)
      << text.out;

  ProcessRun doctor = RunImeiflow({"doctor"}, env);
  EXPECT_NE(doctor.out.find("orders awaiting a result: 0 pending"), std::string::npos)
      << doctor.out << doctor.err;
  EXPECT_NE(doctor.out.find("2 known from the supplier's export (no status polling)"),
            std::string::npos)
      << doctor.out;
}

}  // namespace
}  // namespace imeiflow::integration
