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

bool IsTheConnection(int fd, const std::string& remote_addr, int remote_port, int local_port) {
  sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  Endpoint peer, local;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0 || !Describe(ss, peer)) {
    return false;
  }
  if (peer.port != remote_port || peer.addr != remote_addr) return false;
  len = sizeof(ss);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0 || !Describe(ss, local)) {
    return false;
  }
  return local.port == local_port;
}

}  // namespace

Status ResetConnection(const std::string& remote_addr, int remote_port, int local_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) {
    return Status::IoError(fmt::format("/proc/self/fd: {}", strerror(errno)));
  }
  int found = -1;
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    if (IsTheConnection(static_cast<int>(fd), remote_addr, remote_port, local_port)) {
      found = static_cast<int>(fd);
      break;
    }
  }
  closedir(dir);
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
