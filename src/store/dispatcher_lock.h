// DispatcherLock: at most one process dispatches for a database at a time.
//
// An exclusive flock(2) on "<database>.dispatch.lock". The kernel releases it
// when the holder exits, even by kill -9, so a restarted dispatcher takes
// over at once and can safely run recovery (design rule 4). Other processes
// may still enqueue jobs; they just do not dispatch. The lock file holds the
// holder's pid, for the message a second dispatcher prints.
// Thread-safe to destroy from any thread; hold one per process.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace imeiflow::store {

/// A held dispatcher lock; released on destruction.
class DispatcherLock {
 public:
  /// Takes the lock for the database at `db_path`, or fails with
  /// Unavailable naming the process that holds it.
  static Result<std::unique_ptr<DispatcherLock>> Acquire(const std::string& db_path);
  ~DispatcherLock();
  DispatcherLock(const DispatcherLock&) = delete;
  DispatcherLock& operator=(const DispatcherLock&) = delete;

 private:
  explicit DispatcherLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace imeiflow::store
