// FaultPlan: decides, call by call, which fault the simulator injects.
//
// Each API call draws from one seeded RNG, so a run with the same seed and
// the same call order injects the same faults. At most one transport fault
// per call, checked in this order: 503, 500, reset, hang, html (each with its
// own probability; any other call draws html only); the phpxml prolog is
// drawn independently and applies to any XML answer. getimeis also draws, per order id, whether to leave it out. A 500 commits the call's
// orders first with probability 0.5, and so does an HTML page. Thread-safe: draws take a mutex.
#pragma once

#include <cstdint>
#include <mutex>
#include <random>

#include "sim/sim_options.h"

namespace imeiflow::sim {

/// The transport fault of one call.
enum class FaultKind {
  kNone,     ///< answer normally
  kHttp503,  ///< 503 + Retry-After, nothing applied
  kHttp500,  ///< 500 HTML page; orders applied only when commit_first
  kReset,    ///< orders applied, then the connection is reset before any byte
  kHang,     ///< orders applied, then silence for hang_ms
  kHtml,     ///< an HTML error page with HTTP 200; orders applied only when commit_first
};

/// What the plan decided for one call.
struct FaultDecision {
  FaultKind kind = FaultKind::kNone;  ///< transport fault
  bool commit_first = false;          ///< for kHttp500 and kHtml: the orders are applied first
  bool phpxml = false;                ///< the answer uses the malformed prolog
};

/// The seeded source of fault decisions.
class FaultPlan {
 public:
  /// A plan drawing with `options`' probabilities from an RNG seeded with `seed`.
  FaultPlan(const FaultOptions& options, uint64_t seed);

  /// The decision for a placeorder call (transport faults and phpxml).
  FaultDecision DrawForPlaceOrder();
  /// The decision for any other API call (html and phpxml only).
  FaultDecision DrawForOtherCall();
  /// For one order id a getimeis call asks about: true to leave it out of
  /// the answer (probability `omit`).
  bool DrawOmit();
  /// True with probability `p` (e.g. a DHRU bulk row left out).
  bool Draw(double p);

 private:
  bool Chance(double p);

  const FaultOptions options_;
  std::mutex mu_;
  std::mt19937_64 rng_;
};

}  // namespace imeiflow::sim
