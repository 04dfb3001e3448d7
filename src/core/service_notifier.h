// ServiceNotifier: tells the service manager how a long-running command is
// doing (systemd's Type=notify protocol): ready to serve, stopping.
// SystemdNotifier sends through libsystemd's sd_notify to the socket named by
// NOTIFY_SOCKET and does nothing when that variable is unset (a run from a
// shell). Thread-safety: Ready() and Stopping() may be called from any thread.
#pragma once

#include <memory>

#include "core/status.h"

namespace imeiflow {

/// Where `serve` reports its state; tests may pass their own.
class ServiceNotifier {
 public:
  virtual ~ServiceNotifier() = default;
  /// The listener is bound and the dispatcher started ("READY=1").
  [[nodiscard]] virtual Status Ready() = 0;
  /// A stop was asked for; calls in flight are finishing ("STOPPING=1").
  [[nodiscard]] virtual Status Stopping() = 0;
};

/// The notifier for systemd (sd_notify); a no-op without NOTIFY_SOCKET.
std::unique_ptr<ServiceNotifier> MakeSystemdNotifier();

}  // namespace imeiflow
