// OrderStatus: where an order stands, as the `orders` table stores it, with
// the one name/parse pair for its stored spelling. A value type.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace imeiflow::store {

/// The stored status of an order.
enum class OrderStatus {
  kPending,      ///< placed; the supplier has not started it
  kInProcess,    ///< the supplier works on it
  kCompleted,    ///< final: its result arrived
  kRejected,     ///< final: the supplier refused it (refunded when it refunds rejections)
  kUnconfirmed,  ///< charged, but the supplier's order id is not known yet
};

/// Every status, in the order reports list them.
inline constexpr std::array<OrderStatus, 5> kAllOrderStatuses = {
    OrderStatus::kPending, OrderStatus::kInProcess, OrderStatus::kCompleted,
    OrderStatus::kRejected, OrderStatus::kUnconfirmed};

/// The stored name: "pending", "in_process", "completed", "rejected", "unconfirmed".
std::string_view OrderStatusName(OrderStatus status);

/// The status stored as `name`, if any (exact spelling).
std::optional<OrderStatus> ParseOrderStatus(std::string_view name);

/// Whether an order in `status` has its final result (completed or rejected).
bool IsFinal(OrderStatus status);

/// IsFinal of the status stored as `name`; false for an unknown name.
bool IsFinalOrderStatus(std::string_view name);

}  // namespace imeiflow::store
