#include "cli/stop_signal.h"

#include <csignal>

namespace imeiflow::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void OnStopSignal(int signo) {
  g_stop.store(true);
  std::signal(signo, SIG_DFL);  // the next one ends the process
}

}  // namespace

const std::atomic<bool>& InstallStopSignalHandlers() {
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  return g_stop;
}

}  // namespace imeiflow::cli
