// OrderStatus: where an order stands, as the `orders` table stores it, with
// the one name/parse pair for its stored spelling (the machine name, kept in
// JSON and the database) and the shop's word for it (pages, CLI text, API docs
// and exports: docs/ARCHITECTURE.md, "Vocabulary"). Value types and pure
// functions: safe from any thread.
#pragma once

#include <array>
#include <optional>
#include <string>
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

/// The shop's word for `status`: "pending", "in process", "completed",
/// "rejected", "charged, order id not known yet".
std::string_view OrderStatusWord(OrderStatus status);

/// What a person is told about an order: OrderStatusWord, except for a
/// pending or in-process order without a supplier order id (known only from
/// the supplier's export): nothing can poll it, so it says so instead of
/// "pending" forever.
std::string_view OrderStateWord(OrderStatus status, bool has_upstream_id);

/// The words of an order whose status no poll will ever update.
inline constexpr std::string_view kKnownFromExportWord =
    "known from the supplier's export; no status polling";

/// "pending, in_process, completed, rejected, unconfirmed": the machine names
/// an error message offers.
std::string OrderStatusNameList();

/// Whether an order in `status` has its final result (completed or rejected).
bool IsFinal(OrderStatus status);

/// IsFinal of the status stored as `name`; false for an unknown name.
bool IsFinalOrderStatus(std::string_view name);

}  // namespace imeiflow::store
