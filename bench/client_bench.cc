// The supplier client's own cost: calls per second and CPU microseconds per
// call against imeiflow-sim at zero latency, with 1, 16 and 64 calls in
// flight on one pumping thread. The simulator runs as a separate process, so
// the process CPU time measured here is the client's alone.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <ctime>
#include <string>

#include "core/clock.h"
#include "core/imei.h"
#include "sim_process.h"
#include "upstream/gsmfusion/client.h"
#include "upstream/http/curl_transport.h"

namespace {

using namespace imeiflow::upstream;

// imeiflow-sim started once for the whole program.
const std::string& SimUrl() {
  static imeiflow::bench::SimProcess sim({"--latency-ms", "0"});
  return sim.url();
}

// A fresh Luhn-valid IMEI for every call, so that no call is a duplicate.
std::string NextImei() {
  static long long serial =
      35000000000000LL + (static_cast<long long>(getpid()) % 1000) * 1000000000LL;
  std::string body = std::to_string(serial++);
  return body + imeiflow::CheckDigit(body);
}

double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

void BM_PlaceOrder(benchmark::State& state) {
  const std::string& url = SimUrl();
  if (url.empty()) {
    state.SkipWithError("imeiflow-sim did not start");
    return;
  }
  const size_t window = static_cast<size_t>(state.range(0));
  CurlTransport transport;
  imeiflow::SystemClock system_clock;
  gsmfusion::Client client({url, "demo", "DEMO-0000-0000-0000-0000"}, transport,
                           system_clock);  // the sim's defaults
  constexpr int kCallsPerIteration = 256;
  long calls = 0, applied = 0;
  double cpu_start = ProcessCpuSeconds();
  for (auto _ : state) {
    int started = 0, finished = 0;
    while (finished < kCallsPerIteration) {
      while (client.InFlight() < window && started < kCallsPerIteration) {
        ++started;
        client.PlaceOrder({"1", {NextImei()}, {}}, [&](PlaceOrderResult r) {
          ++finished;
          applied += r.verdict.call_class == CallClass::kApplied;
        });
      }
      client.Pump(std::chrono::milliseconds(100));
    }
    calls += finished;
  }
  double cpu = ProcessCpuSeconds() - cpu_start;
  state.SetItemsProcessed(calls);
  state.counters["calls/s"] =
      benchmark::Counter(static_cast<double>(calls), benchmark::Counter::kIsRate);
  state.counters["cpu_us/call"] = calls ? cpu * 1e6 / calls : 0;
  state.counters["applied%"] = calls ? 100.0 * applied / calls : 0;
  state.counters["connections"] = static_cast<double>(transport.connections_opened());
}
BENCHMARK(BM_PlaceOrder)->Arg(1)->Arg(16)->Arg(64)->UseRealTime()->MeasureProcessCPUTime();

}  // namespace

BENCHMARK_MAIN();
