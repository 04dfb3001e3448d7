#include "core/service_notifier.h"

#include <systemd/sd-daemon.h>

#include <cstring>
#include <string>

namespace imeiflow {
namespace {

class SystemdNotifier final : public ServiceNotifier {
 public:
  Status Ready() override { return Send("READY=1\nSTATUS=serving"); }
  Status Stopping() override { return Send("STOPPING=1\nSTATUS=stopping"); }

 private:
  // sd_notify: 0 when NOTIFY_SOCKET is unset (nothing to tell), > 0 when
  // sent, < 0 (a negative errno) when the socket could not be reached.
  static Status Send(const char* state) {
    int sent = sd_notify(0, state);
    if (sent < 0) {
      return Status::Unavailable(std::string("cannot notify the service manager (NOTIFY_SOCKET): ") +
                                 std::strerror(-sent));
    }
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<ServiceNotifier> MakeSystemdNotifier() {
  return std::make_unique<SystemdNotifier>();
}

}  // namespace imeiflow
