// ParseImeiInput on 1,000,000 lines of mixed input (valid IMEIs, printed
// groups, 14-digit entries, invalid entries, duplicates), as text and as CSV.
// Also a one-sheet workbook of the same million rows. Reports time per full
// parse and the process's peak RSS so far (peak_rss_mb; ru_maxrss only grows).
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zip.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/imei.h"
#include "core/input.h"

namespace imeiflow {
namespace {

constexpr int kLines = 1000000;

// One entry of the mix, by line number; `serial` makes each IMEI distinct.
std::string Entry(int line, uint64_t serial, const std::vector<std::string>& earlier) {
  std::string body = std::to_string(35000000000000ull + serial * 7919ull % 9000000000000ull);
  std::string imei = body + CheckDigit(body);
  switch (line % 10) {
    case 0:  // printed groups
      return imei.substr(0, 2) + "-" + imei.substr(2, 6) + "-" + imei.substr(8, 6) + "-" +
             imei.substr(14);
    case 1:  // 14 digits, completed
      return body;
    case 2:  // invalid: wrong check digit, letters, scientific notation, IMEISV
      switch (line / 10 % 4) {
        case 0:
          return body + static_cast<char>('0' + (imei[14] - '0' + 1) % 10);
        case 1:
          return body.substr(0, 10) + "ABCD";
        case 2:
          return "3.52099E+14";
        default:
          return imei + "7";
      }
    case 3:  // a repeat of an earlier IMEI
      return earlier.empty() ? imei : earlier[serial % earlier.size()];
    default:
      return imei;
  }
}

std::string MakeInput(bool csv) {
  std::string out;
  out.reserve(static_cast<size_t>(kLines) * (csv ? 40 : 19));
  std::vector<std::string> earlier;
  if (csv) out += "Model,IMEI No.,Price\n";
  for (int line = 0; line < kLines; ++line) {
    std::string entry = Entry(line, static_cast<uint64_t>(line), earlier);
    if (line % 10 == 5 && earlier.size() < 1000) earlier.push_back(entry);
    if (csv) {
      out += "\"Phone " + std::to_string(line % 97) + "\"," + entry + ",9.99\n";
    } else {
      out += entry + (line % 3 == 0 ? "\r\n" : "\n");
    }
  }
  return out;
}

// A workbook whose first sheet holds the same mix in column B (as numbers
// where the entry is all digits, else as inline strings), row 1 a header.
std::string MakeXlsx() {
  std::string sheet =
      "<worksheet><sheetData><row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>IMEI</t>"
      "</is></c></row>";
  std::vector<std::string> earlier;
  for (int line = 0; line < kLines; ++line) {
    std::string entry = Entry(line, static_cast<uint64_t>(line), earlier);
    if (line % 10 == 5 && earlier.size() < 1000) earlier.push_back(entry);
    std::string row = std::to_string(line + 2);
    bool digits = entry.find_first_not_of("0123456789") == std::string::npos;
    sheet += "<row r=\"" + row + "\"><c r=\"B" + row + "\"" +
             (digits ? "><v>" + entry + "</v>" : " t=\"inlineStr\"><is><t>" + entry + "</t></is>") +
             "</c></row>";
  }
  sheet += "</sheetData></worksheet>";
  std::string path =
      std::string(P_tmpdir) + "/imeiflow_bench_" + std::to_string(getpid()) + ".xlsx";
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  zip_file_add(archive, "xl/worksheets/sheet1.xml",
               zip_source_buffer(archive, sheet.data(), sheet.size(), 0), 0);
  zip_close(archive);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::remove(path.c_str());
  return bytes.str();
}

void RecordPeakRss(benchmark::State& state) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_mb"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

enum class Kind { kText, kCsv, kXlsx };

void Parse(benchmark::State& state, Kind kind) {
  const std::string input = kind == Kind::kXlsx ? MakeXlsx() : MakeInput(kind == Kind::kCsv);
  size_t imeis = 0;
  // A million lines is ten jobs' worth: lift the job bound to time the parser.
  InputOptions unbounded;
  unbounded.max_imeis = SIZE_MAX;
  unbounded.max_entries = SIZE_MAX;
  for (auto _ : state) {
    Result<CheckReport> report = ParseImeiInput(input, "", unbounded);
    if (!report.ok()) {
      state.SkipWithError(report.status().message().c_str());
      return;
    }
    imeis = report->imeis.size();
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations() * kLines);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(input.size()));
  state.counters["valid_imeis"] = static_cast<double>(imeis);
  RecordPeakRss(state);
}

void BM_ParseText1M(benchmark::State& state) { Parse(state, Kind::kText); }
void BM_ParseCsv1M(benchmark::State& state) { Parse(state, Kind::kCsv); }
void BM_ParseXlsx1M(benchmark::State& state) { Parse(state, Kind::kXlsx); }

BENCHMARK(BM_ParseText1M)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ParseCsv1M)->Unit(benchmark::kMillisecond)->MinTime(2.0);
// Last: its peak RSS (a DOM of a million rows) would mask the others'.
BENCHMARK(BM_ParseXlsx1M)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace imeiflow

BENCHMARK_MAIN();
