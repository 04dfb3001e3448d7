#include "sim/connection_reset.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>

namespace imeiflow::sim {
namespace {

struct Endpoint {
  std::string addr;
  int port = -1;
};

bool Describe(const sockaddr_storage& ss, Endpoint& out) {
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(ss);
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof(text));
    out.port = ntohs(in.sin_port);
  } else if (ss.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(ss);
    inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text));
    out.port = ntohs(in6.sin6_port);
  } else {
    return false;
  }
  out.addr = text;
  return true;
}

// The peer and local ends of `fd` when it is a connected IP socket.
bool Ends(int fd, Endpoint& peer, Endpoint& local) {
  sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0 || !Describe(ss, peer)) {
    return false;
  }
  len = sizeof(ss);
  return getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0 && Describe(ss, local);
}

// Calls `visit(fd)` for every open descriptor until it returns true.
Status ForEachFd(const std::function<bool(int)>& visit) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) {
    return Status::IoError(fmt::format("/proc/self/fd: {}", strerror(errno)));
  }
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    if (visit(static_cast<int>(fd))) break;
  }
  closedir(dir);
  return Status::Ok();
}

}  // namespace

int ShutdownReadsOnPort(int local_port) {
  int count = 0;
  // Best effort for a quicker stop: without /proc/self/fd nothing is shut and
  // idle connections end at their keep-alive timeout, as they would anyway.
  static_cast<void>(ForEachFd([&](int fd) {
    Endpoint peer, local;
    if (Ends(fd, peer, local) && local.port == local_port) {
      count += shutdown(fd, SHUT_RD) == 0;
    }
    return false;
  }));
  return count;
}

Status ResetConnection(const std::string& remote_addr, int remote_port, int local_port) {
  int found = -1;
  Status scanned = ForEachFd([&](int fd) {
    Endpoint peer, local;
    if (Ends(fd, peer, local) && peer.port == remote_port && peer.addr == remote_addr &&
        local.port == local_port) {
      found = fd;
      return true;
    }
    return false;
  });
  if (!scanned.ok()) return scanned;
  if (found < 0) {
    return Status::NotFound(
        fmt::format("no socket for {}:{} on port {}", remote_addr, remote_port, local_port));
  }
  linger abort_on_close{1, 0};
  setsockopt(found, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
  sockaddr unspec{};
  unspec.sa_family = AF_UNSPEC;
  // Disconnecting an established TCP socket sends a RST (tcp_disconnect).
  if (connect(found, &unspec, sizeof(unspec)) != 0) {
    // Fallback: a RST-less but immediate end of the connection.
    shutdown(found, SHUT_RDWR);
    return Status::IoError(fmt::format("disconnect failed: {}", strerror(errno)));
  }
  return Status::Ok();
}

}  // namespace imeiflow::sim
