#include "store/dispatcher_lock.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace imeiflow::store {
namespace {

std::string ReadHolder(int fd) {
  char buf[32] = {};
  ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "another process" : "process " + pid;
}

}  // namespace

Result<std::unique_ptr<DispatcherLock>> DispatcherLock::Acquire(const std::string& db_path) {
  std::string path = db_path + ".dispatch.lock";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string holder = ReadHolder(fd);
    close(fd);
    if (err == EWOULDBLOCK) {
      return Status::Unavailable(fmt::format(
          "{} is already dispatching for {}; jobs added now wait for it", holder, db_path));
    }
    return Status::IoError(fmt::format("cannot lock {}: {}", path, std::strerror(err)));
  }
  std::string pid = fmt::format("{}\n", getpid());
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    int err = errno;
    close(fd);
    return Status::IoError(fmt::format("cannot write {}: {}", path, std::strerror(err)));
  }
  return std::unique_ptr<DispatcherLock>(new DispatcherLock(fd));
}

DispatcherLock::~DispatcherLock() { close(fd_); }

}  // namespace imeiflow::store
