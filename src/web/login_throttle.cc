#include "web/login_throttle.h"

#include <algorithm>
#include <cctype>

namespace imeiflow::web {
namespace {

// User names are matched case-insensitively here so "Ana" and "ana" share a
// count even though only one of them exists.
std::string UserKey(const std::string& user) {
  std::string key = user;
  for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

void DropOld(std::deque<int64_t>& failures, int64_t cutoff) {
  while (!failures.empty() && failures.front() <= cutoff) failures.pop_front();
}

}  // namespace

int64_t LoginThrottle::WaitMs(std::unordered_map<std::string, Failures>& table,
                              const std::string& key, int limit, int64_t now_ms) {
  auto it = table.find(key);
  if (it == table.end()) return 0;
  DropOld(it->second, now_ms - limits_.window_ms);
  if (static_cast<int>(it->second.size()) < limit) return 0;
  // The oldest failure that keeps the count at the limit must leave the window.
  int64_t oldest = it->second[it->second.size() - limit];
  return std::max<int64_t>(1, oldest + limits_.window_ms - now_ms);
}

int64_t LoginThrottle::ReserveAttempt(const std::string& user, const std::string& address,
                                      int64_t now_ms) {
  const std::string key = UserKey(user);
  std::lock_guard lock(mu_);
  int64_t wait = std::max(WaitMs(by_user_, key, limits_.per_user, now_ms),
                          WaitMs(by_address_, address, limits_.per_address, now_ms));
  if (wait > 0) return wait;
  Prune(now_ms);
  by_user_[key].push_back(now_ms);
  by_address_[address].push_back(now_ms);
  return 0;
}

void LoginThrottle::RecordSuccess(const std::string& user, const std::string& address,
                                  int64_t reserved_ms) {
  std::lock_guard lock(mu_);
  by_user_.erase(UserKey(user));
  auto it = by_address_.find(address);
  if (it == by_address_.end()) return;
  Failures& failures = it->second;
  // One count at that time is this attempt's; which one does not matter.
  auto mine = std::find(failures.rbegin(), failures.rend(), reserved_ms);
  if (mine != failures.rend()) failures.erase(std::next(mine).base());
  if (failures.empty()) by_address_.erase(it);
}

size_t LoginThrottle::TrackedKeys() {
  std::lock_guard lock(mu_);
  return by_user_.size() + by_address_.size();
}

// Forgets keys whose failures all left the window, at most once a window,
// so guessing many different names cannot grow memory without bound.
void LoginThrottle::Prune(int64_t now_ms) {
  if (now_ms - last_prune_ms_ < limits_.window_ms) return;
  last_prune_ms_ = now_ms;
  const int64_t cutoff = now_ms - limits_.window_ms;
  for (auto* table : {&by_user_, &by_address_}) {
    for (auto it = table->begin(); it != table->end();) {
      DropOld(it->second, cutoff);
      it = it->second.empty() ? table->erase(it) : std::next(it);
    }
  }
}

}  // namespace imeiflow::web
