// The orders page for a pasted list of 1,000 IMEIs over a database of
// 1,000,000 orders (issue 12: "rendered within 300 ms").
//
// The database is built once (one transaction, a prepared insert, every
// result code parsed as the syncer would) at build/release/bench/
// order_search_1m.db and reused by later runs; each run adds its own user.
//
// BM_OrdersPagePaste1k: the real web::Server (every route, default options)
//   on 127.0.0.1, logged in as a browser is (session cookie, CSRF token);
//   each iteration POSTs /orders, multipart, 1,000 IMEIs pasted in the
//   "imei" field as the search form sends them: 950 of the database, spread
//   over it, in a shuffled order, and 50 without an order. Iteration time is
//   the whole request: parsing the paste, the listed search in the pasted
//   order with its "no order" rows, the counts for "N orders, page 1 of 1",
//   the not-found list, and rendering the page. Target: under 300 ms.
// BM_StoreQueriesPaste1k: the same page's store queries alone (FindListed,
//   Count twice, Missing), to tell the database's share from the rendering's.
//
// Counters: p50/p99/max in ms over the iterations, the page's size (kb), the
// rows it lists, and the machine's load average while it ran (load_1m).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "child_run.h"
#include "web_fixture.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/imei.h"
#include "core/result_code.h"
#include "store/database.h"
#include "store/order_repository.h"
#include "store/user_repository.h"
#include "web/password.h"
#include "web/server.h"
#include "web/web_context.h"

namespace imeiflow::bench {
namespace {

constexpr int64_t kOrders = 1000000;
constexpr int64_t kFound = 950;
constexpr int64_t kNotFound = 50;
constexpr int64_t kFirstPlaced = 1790000000000;  // 2026-09-21

std::string Imei(int64_t serial) {
  std::string body = std::to_string(35100000000000LL + serial);
  return body + CheckDigit(body);
}

std::string DatabasePath() { return BuildDir() + "/bench/order_search_1m.db"; }

// The result code of order `i`: checker results, some rejected, some open.
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
              fmt::format("Model: iPhone {} Pro 128GB - IMEI Number: {} - Serial Number: "
                          "F2LX{:06} - Carrier: {} - Find My iPhone: {} - SimLock: {} - "
                          "Current GSMA Status: {}",
                          11 + i % 5, Imei(i), i % 1000000, i % 3 ? "AT&T, US" : "Unlocked",
                          i % 2 ? "ON" : "OFF", i % 3 ? "Locked" : "Unlocked",
                          i % 17 ? "Clean" : "Blacklisted")};
  }
}

Status BuildDatabase(store::Database& db) {
  if (Status s = db.Exec("INSERT INTO services(id, title, price_cents, fetched_at) VALUES"
                         " ('1739', 'iPhone Carrier + FMI + SimLock Check', 8, 0),"
                         " ('2001', 'Blacklist Check', 5, 0)");
      !s.ok()) {
    return s;
  }
  store::Transaction tx(db);
  if (!tx.status().ok()) return tx.status();
  std::string columns;
  std::string params;
  int param = 8;
  for (const ResultFieldColumn& c : ResultFieldColumns()) {
    columns += fmt::format(", {}", store::OrderFieldColumn(c.name));
    params += fmt::format(", ?{}", param++);
  }
  Result<store::Statement> insert = db.Prepare(fmt::format(
      "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, placed_at,"
      " updated_at, code{}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7{})",
      columns, params));
  if (!insert.ok()) return insert.status();
  for (int64_t i = 0; i < kOrders; ++i) {
    auto [status, code] = StatusAndCode(i);
    ParsedResultCode parsed = ParseResultCode(code);
    insert->Reset();
    insert->Bind(1, fmt::format("S{}", 10000000 + i))
        .Bind(2, Imei(i))
        .Bind(3, i % 2 ? "1739" : "2001")
        .Bind(4, status)
        .Bind(5, int64_t{i % 2 ? 8 : 5})
        .Bind(6, kFirstPlaced + i * 2000)
        .Bind(7, code);
    int p = 8;
    for (const ResultFieldColumn& c : ResultFieldColumns()) {
      insert->Bind(p++, parsed.fields.*c.member);
    }
    if (Status s = insert->Run(); !s.ok()) return s;
  }
  return tx.Commit();
}

bool HoldsEveryOrder(store::Database& db) {
  Result<store::Statement> count = db.Prepare("SELECT count(*) FROM orders");
  return count.ok() && count->Step().ok() && count->ColumnInt(0) == kOrders;
}

// The database a previous run left, else one built now; false on failure.
bool EnsureDatabase() {
  const std::string path = DatabasePath();
  {
    Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
    if (db.ok() && HoldsEveryOrder(**db)) return true;
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path);
  return db.ok() && BuildDatabase(**db).ok();
}

// 1,000 IMEIs, one a line: kFound of the database (spread over it, shuffled
// by a fixed stride) and kNotFound that have no order.
std::vector<std::string> PastedImeis() {
  std::vector<std::string> imeis;
  for (int64_t i = 0; i < kFound; ++i) {
    imeis.push_back(Imei(((i * 389) % kFound) * (kOrders / kFound)));
    if (i % (kFound / kNotFound) == 0) imeis.push_back(Imei(kOrders + i));
  }
  return imeis;
}

// The 1-minute load average, as /proc/loadavg says.
double LoadAverage() {
  double load = 0;
  if (std::FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load) != 1) load = 0;
    std::fclose(f);
  }
  return load;
}

// How often `needle` occurs in `text`.
size_t CountOf(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

double Percentile(std::vector<double> ms, double p) {
  if (ms.empty()) return 0;
  std::sort(ms.begin(), ms.end());
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(ms.size())));
  return ms[std::clamp<size_t>(rank, 1, ms.size()) - 1];
}

void Report(benchmark::State& state, const std::vector<double>& ms, double load_sum) {
  state.counters["p50_ms"] = Percentile(ms, 0.5);
  state.counters["p99_ms"] = Percentile(ms, 0.99);
  state.counters["max_ms"] = ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end());
  state.counters["load_1m"] = ms.empty() ? 0 : load_sum / static_cast<double>(ms.size());
}

// Adds a viewer of its own (a run's name) and logs in as a browser does.
Result<Browser> LogInAsNewViewer(int port, const std::string& user) {
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(DatabasePath());
  if (!db.ok()) return db.status();
  Result<std::string> hash = web::HashPassword(kWebPassword, web::PasswordCost::kMinimum);
  if (!hash.ok()) return hash.status();
  Result<int64_t> added = store::UserRepository(**db).Add(user, Role::kViewer, *hash, "bench", 0);
  if (!added.ok()) return added.status();
  return LogIn(port, user);
}

void BM_OrdersPagePaste1k(benchmark::State& state) {
  spdlog::set_level(spdlog::level::warn);
  if (!EnsureDatabase()) return state.SkipWithError("cannot build the database");
  SystemClock clock;
  WebServer server(DatabasePath(), clock);
  if (server.port() == 0) return state.SkipWithError("the web server did not start");
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  Result<Browser> browser = LogInAsNewViewer(server.port(), fmt::format("bench-{}", now.count()));
  if (!browser.ok()) return state.SkipWithError(browser.status().message().c_str());
  std::string pasted;
  for (const std::string& imei : PastedImeis()) pasted += imei + "\n";
  httplib::MultipartFormDataItems form = {{"csrf_token", browser->csrf, "", ""},
                                          {"imei", pasted, "", ""}};
  httplib::Headers session = {{"Cookie", browser->cookie}};
  httplib::Client client("127.0.0.1", server.port());
  std::vector<double> ms;
  double load_sum = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    httplib::Result page = client.Post("/orders", session, form);
    double took =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!page || page->status != 200) return state.SkipWithError("POST /orders failed");
    state.SetIterationTime(took / 1000);
    ms.push_back(took);
    load_sum += LoadAverage();
    state.counters["page_kb"] = static_cast<double>(page->body.size()) / 1024;
    state.counters["no_order_rows"] = static_cast<double>(CountOf(page->body, "class=\"no-order\""));
  }
  Report(state, ms, load_sum);
}
BENCHMARK(BM_OrdersPagePaste1k)->Iterations(20)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_StoreQueriesPaste1k(benchmark::State& state) {
  if (!EnsureDatabase()) return state.SkipWithError("cannot build the database");
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(DatabasePath());
  if (!db.ok()) return state.SkipWithError("cannot open the database");
  store::OrderRepository orders(**db);
  store::OrderFilter filter;
  filter.imeis = PastedImeis();
  filter.limit = 1000;
  std::vector<double> ms;
  double load_sum = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    Result<std::vector<store::ListedOrder>> rows = orders.FindListed(filter);
    Result<int64_t> matched = orders.Count(filter);
    Result<int64_t> listed = orders.Count(filter, true);
    Result<std::vector<std::string>> missing = orders.Missing(filter.imeis);
    double took =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!rows.ok() || !matched.ok() || !listed.ok() || !missing.ok()) {
      return state.SkipWithError("a query failed");
    }
    state.SetIterationTime(took / 1000);
    ms.push_back(took);
    load_sum += LoadAverage();
    state.counters["rows"] = static_cast<double>(rows->size());
    state.counters["not_found"] = static_cast<double>(missing->size());
  }
  Report(state, ms, load_sum);
}
BENCHMARK(BM_StoreQueriesPaste1k)->Iterations(20)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace imeiflow::bench

BENCHMARK_MAIN();
