// Helpers shared by the benchmarks that run imeiflow programs as child
// processes: where the built programs are, and imeiflow-sim started as a
// separate process (so that a benchmark's CPU figures never include the
// supplier's work). Header-only: each bench/*_bench.cc is its own program.
// Not thread-safe; use from the benchmark's main thread.
#pragma once

#include <unistd.h>

#include <climits>
#include <string>
#include <vector>

#include "sim/sim_process.h"

namespace imeiflow::bench {

/// The build tree's top directory (build/release), found from this program's
/// own path (build/release/bench/<name>).
inline std::string BuildDir() {
  char exe[PATH_MAX] = {};
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  std::string dir(exe, n > 0 ? static_cast<size_t>(n) : 0);
  dir = dir.substr(0, dir.rfind('/'));  // .../bench
  return dir.substr(0, dir.rfind('/'));
}

/// imeiflow-sim of this build tree, started with `flags`.
class SimProcess : public sim::SimProcess {
 public:
  /// Starts build/release/src/imeiflow-sim with `flags`.
  explicit SimProcess(const std::vector<std::string>& flags)
      : sim::SimProcess(BuildDir() + "/src/imeiflow-sim", flags) {}
};

}  // namespace imeiflow::bench
