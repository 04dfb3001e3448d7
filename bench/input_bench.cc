// ParseImeiInput on 1,000,000 lines of mixed input (valid IMEIs, printed
// groups, 14-digit entries, invalid entries, duplicates), as text and as CSV.
// Reports time per full parse and the process's peak RSS (peak_rss_mb).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdint>
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

void RecordPeakRss(benchmark::State& state) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_mb"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void Parse(benchmark::State& state, bool csv) {
  const std::string input = MakeInput(csv);
  size_t imeis = 0;
  for (auto _ : state) {
    Result<CheckReport> report = ParseImeiInput(input);
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

void BM_ParseText1M(benchmark::State& state) { Parse(state, false); }
void BM_ParseCsv1M(benchmark::State& state) { Parse(state, true); }

BENCHMARK(BM_ParseText1M)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ParseCsv1M)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace imeiflow

BENCHMARK_MAIN();
