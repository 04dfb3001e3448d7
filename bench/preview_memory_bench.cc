// Memory of `imeiflow serve` while an operator previews hostile and large
// uploads on the submit page (issue 11, row 5: "an operator previews a
// 609 KB XLSX holding a 199 MB sheet: 3.0 GB peak, 2.9 GB still held an hour
// later; a 19.8 MB text file holds 1.3 GB"). Each input is uploaded to
// `POST /submit/preview` of a fresh serve process (a child process, logged in
// as a browser is), and serve's own figures are read from /proc/PID/status:
//
//   rss_before_mb: VmRSS after login, before the upload;
//   peak_before_mb: VmHWM then (serve's peak from starting up and the
//                  login's password check), after which the peak is reset;
//   peak_mb:       VmHWM once the preview answered: the preview's own peak;
//   rss_after_mb:  VmRSS once the last preview answered (what it keeps
//                  holding: a pending preview stays until confirmed or
//                  expired, 4 per user at most);
//   status:        the HTTP status of the preview (200: the preview; 400:
//                  the form again, saying why the input was refused).
//
// Inputs (input=N): 0 a 19.8 MB text of 9.9M one-digit junk entries; 1 an
// XLSX of ~0.6 MB whose sheet inflates to 199 MB; 2 an XLSX of 100,000 IMEIs
// (the largest job); 3 a text of 100,000 IMEIs. times=N: the same upload
// N times one after the other (what a refused upload leaves is reused, not
// added up).
#include <benchmark/benchmark.h>
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/types.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "child_run.h"
#include "core/input_test_util.h"
#include "serve_process.h"
#include "web_fixture.h"

namespace imeiflow::bench {
namespace {

// A field of /proc/PID/status in MB ("VmRSS", "VmHWM"); 0 when unknown.
double StatusMb(pid_t pid, const char* field) {
  std::FILE* status = std::fopen(("/proc/" + std::to_string(pid) + "/status").c_str(), "r");
  if (status == nullptr) return 0;
  char line[256];
  long kb = 0;
  const std::string format = std::string(field) + ": %ld kB";
  while (std::fgets(line, sizeof line, status)) {
    if (std::sscanf(line, format.c_str(), &kb) == 1) break;
  }
  std::fclose(status);
  return static_cast<double>(kb) / 1024.0;
}

// Resets the peak RSS of `pid` to its current RSS (Linux: clear_refs 5).
void ResetPeak(pid_t pid) {
  std::FILE* refs = std::fopen(("/proc/" + std::to_string(pid) + "/clear_refs").c_str(), "w");
  if (refs == nullptr) return;
  std::fputs("5", refs);
  std::fclose(refs);
}

// One upload: its file name and bytes.
struct Upload {
  std::string filename;
  std::string bytes;
};

Upload JunkText() {
  std::string text;
  text.reserve(19'800'000);
  while (text.size() < 19'800'000) text += "1\n";
  return {"junk.txt", std::move(text)};
}

// Rows of one inline-string cell each until the sheet holds 199 MB.
Upload BombXlsx() {
  const std::string row = R"(<row><c t="inlineStr"><is><t>not an IMEI</t></is></c></row>)";
  std::string rows;
  rows.reserve(199u << 20);
  while (rows.size() < (199u << 20)) rows += row;
  return {"bomb.xlsx", testing::MinimalXlsx(rows)};
}

Upload ImeisXlsx() {
  std::vector<testing::XlsxCell> cells = {{0, 0, std::string("IMEI")}};
  for (int i = 0; i < 100'000; ++i) cells.push_back({i + 1, 0, BenchImei(i)});
  return {"imeis.xlsx", testing::WriteXlsx(cells)};
}

Upload ImeisText() {
  std::string text;
  for (int i = 0; i < 100'000; ++i) text += BenchImei(i) + "\n";
  return {"imeis.txt", std::move(text)};
}

Upload MakeUpload(int64_t kind) {
  switch (kind) {
    case 0: return JunkText();
    case 1: return BombXlsx();
    case 2: return ImeisXlsx();
    default: return ImeisText();
  }
}

void BM_PreviewMemory(benchmark::State& state) {
  spdlog::set_level(spdlog::level::warn);
  SimProcess sim({});
  if (sim.url().empty()) return state.SkipWithError("imeiflow-sim did not start");
  char dir_template[] = "/tmp/preview_memory_bench.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) return state.SkipWithError("no temporary directory");
  const std::filesystem::path dir = dir_template;
  const std::string db_path = dir / "serve.db";
  Result<WebFixture> fixture = PrepareWebDatabase(db_path, 1);
  if (!fixture.ok()) return state.SkipWithError(fixture.status().message().c_str());
  const Upload upload = MakeUpload(state.range(0));
  for (auto _ : state) {
    ServeProcess serve(SimulatorEnv(sim.url(), db_path), dir / "serve.log");
    if (serve.port() == 0) return state.SkipWithError("imeiflow serve did not start");
    Result<Browser> browser = LogIn(serve.port());
    if (!browser.ok()) return state.SkipWithError(browser.status().message().c_str());
    state.counters["rss_before_mb"] = StatusMb(serve.pid(), "VmRSS");
    state.counters["peak_before_mb"] = StatusMb(serve.pid(), "VmHWM");
    ResetPeak(serve.pid());
    httplib::Client client("127.0.0.1", serve.port());
    client.set_read_timeout(120);
    httplib::MultipartFormDataItems form = {
        {"csrf_token", browser->csrf, "", ""},
        {"service_id", "1739", "", ""},
        {"file", upload.bytes, upload.filename, "application/octet-stream"}};
    int status = 0;
    for (int64_t i = 0; i < state.range(1); ++i) {
      httplib::Result answer =
          client.Post("/submit/preview", {{"Cookie", browser->cookie}}, form);
      status = answer ? answer->status : 0;
    }
    state.counters["status"] = status;
    state.counters["peak_mb"] = StatusMb(serve.pid(), "VmHWM");
    state.counters["rss_after_mb"] = StatusMb(serve.pid(), "VmRSS");
    state.counters["upload_mb"] = static_cast<double>(upload.bytes.size()) / (1 << 20);
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_PreviewMemory)
    ->ArgNames({"input", "times"})
    ->Args({0, 1})
    ->Args({0, 5})
    ->Args({1, 1})
    ->Args({1, 5})
    ->Args({2, 1})
    ->Args({3, 1})
    ->Iterations(1)
    ->Unit(benchmark::kSecond);

}  // namespace
}  // namespace imeiflow::bench

BENCHMARK_MAIN();
