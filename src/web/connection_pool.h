// ConnectionPool: SQLite connections for the web server's handler threads.
// The server runs handlers on a thread pool and a store::Database must never be
// shared between threads, so each request leases a connection of its own
// and gives it back when done; idle connections are kept (up to a bound) so
// a request does not pay for opening the file and checking migrations.
// Thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace imeiflow::web {

/// Open connections to one database file.
class ConnectionPool {
 public:
  /// A connection lent to one thread; returned to the pool on destruction.
  class Lease {
   public:
    /// Lends `db`, to be returned to `pool`.
    Lease(ConnectionPool* pool, std::unique_ptr<store::Database> db)
        : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept = default;
    ~Lease();
    /// The connection.
    store::Database& operator*() const { return *db_; }
    /// The connection's members.
    store::Database* operator->() const { return db_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<store::Database> db_;
  };

  /// Connections to `path`, keeping at most `max_idle` open while unused.
  ConnectionPool(std::string path, size_t max_idle);

  /// An idle connection, or a newly opened one.
  Result<Lease> Acquire();
  /// The database file.
  const std::string& path() const { return path_; }
  /// Idle connections now held.
  size_t idle() const;

 private:
  void Return(std::unique_ptr<store::Database> db);

  const std::string path_;
  const size_t max_idle_;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<store::Database>> idle_;  // guarded by mu_
};

}  // namespace imeiflow::web
