#include "web/connection_pool.h"

namespace imeiflow::web {

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && db_ != nullptr) pool_->Return(std::move(db_));
}

ConnectionPool::ConnectionPool(std::string path, size_t max_idle)
    : path_(std::move(path)), max_idle_(max_idle) {}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<store::Database> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(db));
    }
  }
  // Opened outside the lock: opening waits on the file (busy timeout).
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path_);
  if (!db.ok()) return db.status();
  return Lease(this, std::move(*db));
}

size_t ConnectionPool::idle() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

void ConnectionPool::Return(std::unique_ptr<store::Database> db) {
  std::lock_guard lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(db));
}

}  // namespace imeiflow::web
