#include "cli/demo.h"

#include <stdlib.h>

#include <filesystem>
#include <vector>

#include "core/clock.h"
#include "core/role.h"
#include "engine/service_cache.h"
#include "store/database.h"
#include "store/service_repository.h"
#include "store/user_repository.h"
#include "upstream/supplier_connection.h"
#include "web/crypto.h"
#include "web/password.h"

namespace imeiflow::cli {
namespace {

// The simulator as a shop meets a real supplier: 150 ms per call, at most 20
// calls at once (the limiter finds that), orders in process after 3 s and
// final after 8 s, 5% rejected. 1,000 IMEIs are ordered in about 10 s.
const std::vector<std::string> kSupplierFlags = {
    "--latency-ms",        "150",  "--max-concurrent", "20",  "--process-after-ms", "3000",
    "--complete-after-ms", "8000", "--reject-ratio",   "0.05"};

// imeiflow-sim is built next to imeiflow.
Result<std::string> SimulatorBinary() {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return Status::Internal("cannot find this program's path: " + error.message());
  std::filesystem::path sim = self.parent_path() / "imeiflow-sim";
  if (!std::filesystem::exists(sim)) {
    return Status::NotFound("the demo needs imeiflow-sim next to imeiflow, at " + sim.string());
  }
  return sim.string();
}

void SetEnv(const char* name, const std::string& value) { setenv(name, value.c_str(), 1); }

}  // namespace

Result<Demo> StartDemo(const DemoOptions& options) {
  if (Result<Money> cap = Money::Parse(options.daily_cap); !cap.ok()) {
    return Status::InvalidArgument("--demo-cap: " + cap.status().message());
  }
  const std::string& folder = options.folder;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) return Status::InvalidArgument("demo folder " + folder + ": " + error.message());
  const bool kept =
      options.keep && std::filesystem::exists(std::filesystem::path(folder) / "imeiflow.db");
  // The supplier starts afresh every time: its ledger is of this run only.
  std::filesystem::remove(std::filesystem::path(folder) / "ledger.csv", error);
  if (!kept) {
    for (const char* name : {"imeiflow.db", "imeiflow.db-wal", "imeiflow.db-shm"}) {
      std::filesystem::remove(std::filesystem::path(folder) / name, error);
    }
  }
  Result<std::string> binary = SimulatorBinary();
  if (!binary.ok()) return binary.status();
  std::vector<std::string> flags = kSupplierFlags;
  flags.insert(flags.end(), {"--ledger", (std::filesystem::path(folder) / "ledger.csv").string()});
  Demo demo;
  demo.folder = folder;
  demo.kept = kept;
  demo.supplier = std::make_unique<sim::SimProcess>(*binary, flags);
  if (demo.supplier->url().empty()) return Status::Internal("imeiflow-sim did not start");
  // The simulator's built-in account (docs/SIMULATOR.md); not a secret.
  SetEnv("IMEIFLOW_UPSTREAM_URL", demo.supplier->url());
  SetEnv("IMEIFLOW_UPSTREAM_USER", "demo");
  SetEnv("IMEIFLOW_UPSTREAM_API_KEY", "DEMO-0000-0000-0000-0000");
  SetEnv("IMEIFLOW_DB", (std::filesystem::path(folder) / "imeiflow.db").string());
  // Results arrive within seconds, so poll soon and often.
  SetEnv("IMEIFLOW_SYNC_FIRST_POLL_S", "3");
  SetEnv("IMEIFLOW_SYNC_MAX_POLL_INTERVAL_S", "15");
  SetEnv("IMEIFLOW_SPENDING_DAILY_CAP", options.daily_cap);
  demo.password = web::RandomHexId().substr(0, 16);
  return demo;
}

Status PrepareDemoDatabase(const Demo& demo, const Config& config, store::Database& db) {
  SystemClock clock;
  Result<std::unique_ptr<upstream::SupplierConnection>> supplier =
      upstream::SupplierConnection::Open(config);
  if (!supplier.ok()) return supplier.status();
  store::ServiceRepository services(db);
  Result<size_t> stored =
      engine::RefreshServiceCache((*supplier)->provider(), services, clock.NowMs(), nullptr);
  if (!stored.ok()) return stored.status();
  Result<std::string> hash = web::HashPassword(demo.password);
  if (!hash.ok()) return hash.status();
  store::UserRepository users(db);
  Result<std::optional<store::UserRecord>> existing = users.FindByName(demo.user);
  if (!existing.ok()) return existing.status();
  constexpr std::string_view kActor = "serve --demo";
  if (existing->has_value()) {
    return users.SetPassword(demo.user, *hash, kActor, clock.NowMs()).status();
  }
  return users.Add(demo.user, Role::kAdmin, *hash, kActor, clock.NowMs()).status();
}

}  // namespace imeiflow::cli
