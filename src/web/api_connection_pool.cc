#include "web/api_connection_pool.h"

namespace imeiflow::web {

ApiConnectionPool::Lease::~Lease() {
  if (db_) pool_.Release(std::move(db_));
}

Result<ApiConnectionPool::Lease> ApiConnectionPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<store::Database> db = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(db));
    }
  }
  // Opened outside the lock: opening waits on the file (busy timeout).
  Result<std::unique_ptr<store::Database>> db = store::Database::Open(path_);
  if (!db.ok()) return db.status();
  return Lease(*this, std::move(*db));
}

size_t ApiConnectionPool::idle() const {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_.size();
}

void ApiConnectionPool::Release(std::unique_ptr<store::Database> db) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(db));
}

}  // namespace imeiflow::web
