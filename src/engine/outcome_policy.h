// OutcomePolicy: where each item of a finished call goes, by the rules of
// design.md's "Exactly-once submission". Pure: it reads a call's intent and
// its result and returns the transitions for DispatchRepository::Finish.
// Not thread-safe (uses the backoff's random generator).
#pragma once

#include <cstdint>
#include <optional>

#include "engine/backoff.h"
#include "store/dispatch_repository.h"
#include "store/order_status.h"
#include "upstream/provider.h"

namespace imeiflow::engine {

/// The settings the rules depend on.
struct PolicyOptions {
  int retry_budget = 8;  ///< calls an item may join before it fails (after_uncertain: review)
  bool refuses_duplicates = true;  ///< upstream.refuses_duplicates (rule 5)
};

/// The transitions of one call, and what they teach about the supplier.
struct PolicyVerdict {
  store::FinishedCall finished;         ///< to record
  bool supplier_dropped_imeis = false;  ///< a batch answer left IMEIs out
  bool fatal = false;                   ///< credentials (or credit) refused: stop dispatching
  bool out_of_credit = false;           ///< fatal because the supplier's credit ran out
};

/// Applies the rules.
class OutcomePolicy {
 public:
  /// `backoff` must outlive the policy.
  OutcomePolicy(PolicyOptions options, RetryBackoff& backoff)
      : options_(options), backoff_(backoff) {}

  /// The verdict on `intent` given `result`, at `now_ms`.
  PolicyVerdict Judge(const store::CallIntent& intent, const upstream::PlaceOrderResult& result,
                      int64_t latency_ms, int64_t now_ms);

 private:
  store::ItemTransition Applied(const store::CallItem& item, const upstream::ImeiOutcome* outcome,
                                bool* dropped);
  store::ItemTransition NotApplied(const store::CallItem& item, const upstream::CallVerdict& result,
                                   int64_t now_ms);
  store::ItemTransition Unknown(const store::CallItem& item, const upstream::CallVerdict& result);

  PolicyOptions options_;
  RetryBackoff& backoff_;
};

/// The stored status of an order in supplier status `status`; none for a
/// status imeiflow does not recognise (placing and syncing decide what then).
std::optional<store::OrderStatus> StoredOrderStatus(upstream::OrderStatus status);

/// True when `verdict` is a sign of load: HTTP 429 or 503, or no answer at
/// all (a timeout or a cut connection) to a call that may have been applied.
bool IsCongestion(const upstream::CallVerdict& verdict);

}  // namespace imeiflow::engine
