// Search and export on a database of 1,000,000 orders (issue 5).
//
// The database is built once (prepared inserts in one transaction, every
// result code parsed as the syncer would) at build/release/bench/
// results_1m.db and reused by later runs.
//
// Search30k_*: 30,000 IMEIs pasted as text (mixed separators), parsed with
//   the input parser, then looked up in-process as `imeiflow orders` does:
//   Find (the first page of 100, or every match) plus Missing. Target: under
//   300 ms. Iteration time is the whole search, parsing included.
// ExportCsv / ExportXlsx: `imeiflow export` of all 1,000,000 orders run as a
//   child process; iteration time is its wall time; peak_RSS_MB is that
//   process's maximum resident set (wait4; an upper bound that includes the
//   benchmark's own RSS at the fork, parent_RSS_MB). Target: under 100 MB.
// ImportCsv: `imeiflow import` of that CSV into an empty database (child
//   process, same figures). No target set.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_run.h"
#include "core/imei.h"
#include "core/input.h"
#include "core/result_code.h"
#include "store/database.h"
#include "store/order_repository.h"

namespace imeiflow::bench {
namespace {

constexpr int64_t kOrders = 1000000;
constexpr int64_t kPasted = 30000;
constexpr int64_t kFirstPlaced = 1790000000000;  // 2026-09-21

std::string Imei(int64_t serial) {
  std::string body = std::to_string(35000000000000LL + serial);
  return body + CheckDigit(body);
}

std::string DatabasePath() { return BuildDir() + "/bench/results_1m.db"; }

// The result code of order `i`: mostly completed checker results.
std::pair<std::string, std::string> StatusAndCode(int64_t i) {
  switch (i % 20) {
    case 0:
      return {"rejected", "Invalid IMEI or not found in the GSMA database"};
    case 1:
      return {"pending", ""};
    case 2:
      return {"in_process", ""};
    default:
      return {"completed",
              fmt::format("Model: iPhone {} Pro 128GB Graphite - IMEI Number: {} - Serial Number: "
                          "F2LX{:06} - IMEI2 Number: {} - Carrier: {} - Find My iPhone: {} - "
                          "SimLock: {}",
                          11 + i % 5, Imei(i), i % 1000000, Imei(kOrders + i),
                          i % 3 == 0 ? "Unlocked" : "AT&T, US", i % 2 ? "ON" : "OFF",
                          i % 3 == 0 ? "Unlocked" : "Locked")};
  }
}

// The services every order of the database refers to.
constexpr const char* kServicesSql =
    "INSERT INTO services(id, title, price_cents, fetched_at) VALUES"
    " ('1739', 'iPhone Carrier + FMI + SimLock Check', 8, 0),"
    " ('2001', 'Blacklist Check', 5, 0), ('3003', 'Full Check', 125, 0)";

Status BuildDatabase(store::Database& db) {
  if (Status s = db.Exec(kServicesSql); !s.ok()) return s;
  store::Transaction tx(db);
  if (!tx.status().ok()) return tx.status();
  std::string columns;
  std::string params;
  int param = 9;
  for (const ResultFieldColumn& c : ResultFieldColumns()) {
    columns += fmt::format(", {}", store::OrderFieldColumn(c.name));
    params += fmt::format(", ?{}", param++);
  }
  Result<store::Statement> insert = db.Prepare(fmt::format(
      "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, placed_at,"
      " updated_at, code{}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8{})",
      columns, params));
  if (!insert.ok()) return insert.status();
  static const char* kServices[] = {"1739", "1739", "2001", "3003"};
  static const int64_t kCents[] = {8, 8, 5, 125};
  for (int64_t i = 0; i < kOrders; ++i) {
    auto [status, code] = StatusAndCode(i);
    ParsedResultCode parsed = ParseResultCode(code);
    insert->Reset();
    insert->Bind(1, fmt::format("U{}", 10000000 + i))
        .Bind(2, Imei(i))
        .Bind(3, kServices[i % 4])
        .Bind(4, status)
        .Bind(5, kCents[i % 4])
        .Bind(6, kFirstPlaced + i * 2000)
        .Bind(7, kFirstPlaced + i * 2000)
        .Bind(8, code);
    int p = 9;
    for (const ResultFieldColumn& c : ResultFieldColumns())
      insert->Bind(p++, parsed.fields.*c.member);
    if (Status s = insert->Run(); !s.ok()) return s;
  }
  return tx.Commit();
}

bool HoldsEveryOrder(store::Database& db) {
  Result<store::Statement> count = db.Prepare("SELECT count(*) FROM orders");
  return count.ok() && count->Step().ok() && count->ColumnInt(0) == kOrders;
}

// The shared database: the one a previous run left, else built now.
store::Database* Orders() {
  static std::unique_ptr<store::Database> db = []() -> std::unique_ptr<store::Database> {
    std::string path = DatabasePath();
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
    if (db.ok() && HoldsEveryOrder(**db)) return std::move(*db);
    db = Status::Internal("rebuilding");  // closes the connection before the files go
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    db = store::Database::Open(path);
    if (!db.ok() || !BuildDatabase(**db).ok()) return nullptr;
    return std::move(*db);
  }();
  return db.get();
}

void BM_Export(benchmark::State& state, const std::string& format) {
  if (Orders() == nullptr) {
    state.SkipWithError("cannot build the database");
    return;
  }
  std::string out = BuildDir() + "/bench/results_export." + format;
  std::string log = BuildDir() + "/bench/results_export.log";
  for (auto _ : state) {
    long parent_kb = ParentRssKb();
    ChildRun run = RunImeiflow({"--db", DatabasePath(), "export", "--format", format, "-o", out},
                               {{"IMEIFLOW_LOG_LEVEL", "warn"}}, log);
    state.SetIterationTime(run.wall_s);
    if (run.exit_code != 0) {
      state.SkipWithError(
          fmt::format("imeiflow export exited {}; see {}", run.exit_code, log).c_str());
      return;
    }
    state.counters["orders/s"] = kOrders / run.wall_s;
    state.counters["cpu_s"] = run.cpu_s;
    state.counters["peak_RSS_MB"] = run.max_rss_kb / 1024.0;
    state.counters["parent_RSS_MB"] = parent_kb / 1024.0;
    state.counters["file_MB"] = static_cast<double>(std::filesystem::file_size(out)) / (1 << 20);
  }
  std::filesystem::remove(out);
}
BENCHMARK_CAPTURE(BM_Export, Csv, std::string("csv"))
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);
BENCHMARK_CAPTURE(BM_Export, Xlsx, std::string("xlsx"))
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

// `imeiflow import` of the CSV export of all 1,000,000 orders into an empty
// database holding only the services: every row becomes a new order.
void BM_ImportCsv(benchmark::State& state) {
  if (Orders() == nullptr) {
    state.SkipWithError("cannot build the database");
    return;
  }
  std::string csv = BuildDir() + "/bench/results_import.csv";
  std::string target = BuildDir() + "/bench/results_import.db";
  std::string log = BuildDir() + "/bench/results_import.log";
  ChildRun exported = RunImeiflow({"--db", DatabasePath(), "export", "-o", csv}, {}, log);
  if (exported.exit_code != 0) {
    state.SkipWithError(fmt::format("imeiflow export exited {}", exported.exit_code).c_str());
    return;
  }
  for (auto _ : state) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(target + suffix);
    {
      Result<std::unique_ptr<store::Database>> db = store::Database::Open(target);
      if (!db.ok() || !(*db)->Exec(kServicesSql).ok()) {
        state.SkipWithError("cannot create the target database");
        return;
      }
    }
    long parent_kb = ParentRssKb();
    ChildRun run = RunImeiflow({"--db", target, "import", csv}, {}, log);
    state.SetIterationTime(run.wall_s);
    if (run.exit_code != 0) {
      state.SkipWithError(
          fmt::format("imeiflow import exited {}; see {}", run.exit_code, log).c_str());
      return;
    }
    state.counters["rows/s"] = kOrders / run.wall_s;
    state.counters["cpu_s"] = run.cpu_s;
    state.counters["peak_RSS_MB"] = run.max_rss_kb / 1024.0;
    state.counters["parent_RSS_MB"] = parent_kb / 1024.0;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(target + suffix);
  std::filesystem::remove(csv);
}
BENCHMARK(BM_ImportCsv)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

// Registered after the child-process benchmarks, which run first: this one
// grows the benchmark process, whose RSS at a fork counts in a child's peak.
// 30,000 IMEIs of the database, spread over it, pasted with mixed separators.
std::string PastedImeis() {
  std::string pasted;
  const char* separators[] = {"\n", ", ", " ", "\t", ";", "\r\n"};
  for (int64_t i = 0; i < kPasted; ++i) {
    pasted += Imei(i * (kOrders / kPasted));
    pasted += separators[i % 6];
  }
  return pasted;
}

void BM_Search30k(benchmark::State& state, int64_t page) {
  store::Database* db = Orders();
  if (db == nullptr) {
    state.SkipWithError("cannot build the database");
    return;
  }
  std::string pasted = PastedImeis();
  store::OrderRepository orders(*db);
  for (auto _ : state) {
    Result<CheckReport> report = ParseImeiInput(pasted, "paste");
    if (!report.ok()) {
      state.SkipWithError("the pasted text was not read");
      return;
    }
    store::OrderFilter filter;
    filter.imeis = std::move(report->imeis);
    filter.limit = page;
    Result<std::vector<store::OrderRecord>> found = orders.Find(filter);
    Result<std::vector<std::string>> missing = orders.Missing(filter.imeis);
    if (!found.ok() || !missing.ok()) {
      state.SkipWithError("search failed");
      return;
    }
    state.counters["orders"] = static_cast<double>(found->size());
    state.counters["not_found"] = static_cast<double>(missing->size());
  }
}
BENCHMARK_CAPTURE(BM_Search30k, FirstPage, int64_t{100})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Search30k, AllRows, kOrders)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace imeiflow::bench

BENCHMARK_MAIN();
