// LoginThrottle: limits failed logins per user name and per client address
// within a sliding window, so passwords cannot be guessed at speed. An
// attempt is counted as a failure when it is admitted, before its password
// is checked, in the same locked step as the decision: 30 simultaneous
// guesses for one user check at most the limit's number of passwords. A
// success then takes its count back. Kept in memory: a restart forgets the
// counts (documented in docs/ARCHITECTURE.md).
// Thread-safe (one mutex; the server's worker threads share one throttle).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace imeiflow::web {

/// How many failures are allowed within a window.
struct ThrottleLimits {
  int per_user = 5;                 ///< failures per user name
  int per_address = 20;             ///< failures per client address (shared by a NAT or proxy)
  int64_t window_ms = 15 * 60'000;  ///< the window
};

/// Counts failed logins.
class LoginThrottle {
 public:
  /// Uses `limits` for every decision.
  explicit LoginThrottle(ThrottleLimits limits = {}) : limits_(limits) {}

  /// 0 when a login for `user` from `address` may be tried at `now_ms`; the
  /// attempt is then already counted as a failure (check the password only
  /// after this). Else the milliseconds until the oldest counted failure
  /// leaves the window, and nothing is counted.
  int64_t ReserveAttempt(const std::string& user, const std::string& address, int64_t now_ms);
  /// The attempt reserved at `reserved_ms` succeeded: forgets the failures
  /// of `user` and takes back that attempt's count from `address`; the
  /// address keeps its other failures, so one valid account cannot reset it.
  void RecordSuccess(const std::string& user, const std::string& address, int64_t reserved_ms);
  /// How many user names and addresses have counted failures (memory use).
  size_t TrackedKeys();

 private:
  using Failures = std::deque<int64_t>;  // times, oldest first
  int64_t WaitMs(std::unordered_map<std::string, Failures>& table, const std::string& key,
                 int limit, int64_t now_ms);
  void Prune(int64_t now_ms);

  const ThrottleLimits limits_;
  std::mutex mu_;
  std::unordered_map<std::string, Failures> by_user_;     // guarded by mu_
  std::unordered_map<std::string, Failures> by_address_;  // guarded by mu_
  int64_t last_prune_ms_ = 0;                             // guarded by mu_
};

}  // namespace imeiflow::web
