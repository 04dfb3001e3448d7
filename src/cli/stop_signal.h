// StopSignal: SIGINT and SIGTERM ask a long-running command (work, serve,
// submit --wait) to stop: the dispatcher stops sending, lets calls in flight
// finish within its grace period, and leaves the rest recoverable. A second
// signal restores the default action, so a repeated Ctrl-C ends the process.
// Install once, from main's thread; the flag may be read from any thread.
#pragma once

#include <atomic>

namespace imeiflow::cli {

/// Installs the handlers and returns the flag they set.
const std::atomic<bool>& InstallStopSignalHandlers();

}  // namespace imeiflow::cli
