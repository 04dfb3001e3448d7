// OrderBook: the simulated supplier's orders, its duplicate rule and the
// lifecycle of each order.
//
// Orders get sequential ids. Their status is not stored but computed from the
// placement time whenever they are looked at (Pending until process_after,
// In Process until complete_after, then Completed or Rejected as decided at
// placement by the seeded RNG), so no background thread is needed and tests
// move time with their own SimClock.
// Thread-safe: one mutex guards the state; Place and Lookup may be called
// from any number of threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "sim/catalogue.h"
#include "sim/sim_clock.h"
#include "sim/sim_options.h"

namespace imeiflow::sim {

/// GSM Fusion status ids.
enum class OrderStatus { kPending = 1, kCompleted = 2, kRejected = 3, kInProcess = 4 };

/// The word the supplier uses for `status` ("Pending", "In Process", ...).
const char* StatusWord(OrderStatus status);

/// An order as stored.
struct Order {
  int64_t id = 0;                                ///< the supplier's order id
  const Service* service = nullptr;              ///< the ordered service (owned by the Catalogue)
  std::string imei;                              ///< the ordered IMEI
  std::chrono::system_clock::time_point placed;  ///< when it was created
  bool will_reject = false;                      ///< ends Rejected rather than Completed
  int64_t call_id = 0;                           ///< the HTTP call that created it
};

/// An order as getimeis shows it at one instant.
struct OrderView {
  int64_t id = 0;                              ///< order id
  std::string package;                         ///< the service title
  std::string imei;                            ///< the IMEI
  OrderStatus status = OrderStatus::kPending;  ///< current status
  std::string code;                            ///< result or rejection reason; empty until finished
  std::chrono::system_clock::time_point placed;  ///< `requestedat`
};

/// What one placeorder call did, IMEI by IMEI.
struct PlaceOutcome {
  std::vector<Order> created;           ///< new (charged) orders, in call order
  std::vector<std::string> duplicates;  ///< refused: already ordered for this service
  std::vector<std::string> invalid;     ///< not 15 digits + Luhn; not ordered
  std::vector<std::string> dropped;     ///< ignored by BatchMode::kLast; not ordered
  std::vector<std::string> no_credit;   ///< refused: the balance could not pay; not ordered
};

/// Money as the supplier counts it at one instant.
struct BookMoney {
  int64_t charged_cents = 0;   ///< prices of every order created
  int64_t refunded_cents = 0;  ///< prices of the orders that show Rejected now
  std::optional<int64_t> balance_cents;  ///< credit left now; nullopt: unlimited
};

/// The settings the book needs (a subset of SimOptions).
struct OrderBookSettings {
  BatchMode batch = BatchMode::kAll;                  ///< multi-IMEI behaviour
  DuplicateMode duplicates = DuplicateMode::kRefuse;  ///< repeat behaviour
  std::chrono::milliseconds process_after{2000};      ///< Pending -> In Process
  std::chrono::milliseconds complete_after{5000};     ///< -> Completed / Rejected
  double reject_ratio = 0.05;                         ///< share ending Rejected
  uint64_t seed = 1;                                  ///< RNG and result-code seed
  int64_t first_order_id = 1000001;                   ///< id of the first order
  std::optional<int64_t> balance_cents;               ///< starting credit; nullopt: unlimited
};

/// Every order of the simulated supplier.
class OrderBook {
 public:
  /// An empty book reading time from `clock` (which must outlive it).
  OrderBook(OrderBookSettings settings, const SimClock& clock);

  /// Places `imeis` (already split, in call order) for `service`, applying
  /// the batch mode, the validity check, the duplicate rule and the balance
  /// (an IMEI the remaining credit cannot pay is refused, not charged).
  PlaceOutcome Place(const Service& service, const std::vector<std::string>& imeis,
                     int64_t call_id);

  /// The orders among `ids` that exist, in the order asked; unknown ids are skipped.
  std::vector<OrderView> Lookup(const std::vector<int64_t>& ids) const;

  /// How many orders exist.
  int64_t size() const;

  /// What the orders were charged and what the rejected ones (as getimeis
  /// shows them now) were refunded.
  BookMoney Totals() const;

  /// Adds `cents` to the credit (the balance is then limited from there).
  void AddCredit(int64_t cents);
  /// The credit left now: starting credit + added - charged + refunded;
  /// nullopt when unlimited.
  std::optional<int64_t> BalanceCents() const;

 private:
  OrderView View(const Order& order, std::chrono::system_clock::time_point now) const;
  // The refunds (rejections showing now); mu_ must be held.
  int64_t RefundedCentsLocked(std::chrono::system_clock::time_point now) const;

  const OrderBookSettings settings_;
  const SimClock& clock_;
  mutable std::mutex mu_;
  std::vector<Order> orders_;                // orders_[i].id == first_order_id + i
  std::unordered_set<std::string> ordered_;  // service id + '\n' + IMEI
  std::mt19937_64 rng_;
  std::optional<int64_t> credit_cents_;  // starting credit + added; nullopt: unlimited
  int64_t charged_cents_ = 0;            // prices of every order created
  std::vector<size_t> rejecting_;        // indices of the orders that will be refunded
};

}  // namespace imeiflow::sim
