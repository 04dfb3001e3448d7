// ApiConnectionPool: database connections for the web server's worker
// threads. A request takes a connection (an idle one, or a new one) and gives
// it back when its Lease ends, so no connection is ever used by two threads
// at once, and busy workers do not pay for opening (pragmas, migration check)
// on every request. Thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace imeiflow::web {

/// A small pool of store::Database connections to one file.
class ApiConnectionPool {
 public:
  /// A connection on loan; returns to the pool when destroyed.
  class Lease {
   public:
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    /// The connection, for this thread only.
    store::Database& db() { return *db_; }

   private:
    friend class ApiConnectionPool;
    Lease(ApiConnectionPool& pool, std::unique_ptr<store::Database> db)
        : pool_(pool), db_(std::move(db)) {}
    ApiConnectionPool& pool_;
    std::unique_ptr<store::Database> db_;
  };

  /// Connections to `path`; at most `max_idle` idle ones are kept.
  ApiConnectionPool(std::string path, size_t max_idle)
      : path_(std::move(path)), max_idle_(max_idle) {}

  /// An idle connection, or a newly opened one (the error says why not).
  Result<Lease> Acquire();
  /// Idle connections now held.
  size_t idle() const;

 private:
  void Release(std::unique_ptr<store::Database> db);

  const std::string path_;
  const size_t max_idle_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<store::Database>> idle_;  // guarded by mu_
};

}  // namespace imeiflow::web
