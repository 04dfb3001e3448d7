#include "store/order_status.h"

namespace imeiflow::store {

std::string_view OrderStatusName(OrderStatus status) {
  switch (status) {
    case OrderStatus::kPending:
      return "pending";
    case OrderStatus::kInProcess:
      return "in_process";
    case OrderStatus::kCompleted:
      return "completed";
    case OrderStatus::kRejected:
      return "rejected";
    case OrderStatus::kUnconfirmed:
      return "unconfirmed";
  }
  return "unknown";
}

std::optional<OrderStatus> ParseOrderStatus(std::string_view name) {
  for (OrderStatus s : kAllOrderStatuses) {
    if (OrderStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view OrderStatusWord(OrderStatus status) {
  switch (status) {
    case OrderStatus::kPending:
      return "pending";
    case OrderStatus::kInProcess:
      return "in process";
    case OrderStatus::kCompleted:
      return "completed";
    case OrderStatus::kRejected:
      return "rejected";
    case OrderStatus::kUnconfirmed:
      return "charged, order id not known yet";
  }
  return "unknown";
}

std::string_view OrderStateWord(OrderStatus status, bool has_upstream_id) {
  bool open = status == OrderStatus::kPending || status == OrderStatus::kInProcess;
  if (open && !has_upstream_id) return kKnownFromExportWord;
  return OrderStatusWord(status);
}

std::string OrderStatusNameList() {
  std::string list;
  for (OrderStatus s : kAllOrderStatuses) {
    if (!list.empty()) list += ", ";
    list += OrderStatusName(s);
  }
  return list;
}

bool IsFinal(OrderStatus status) {
  return status == OrderStatus::kCompleted || status == OrderStatus::kRejected;
}

bool IsFinalOrderStatus(std::string_view name) {
  std::optional<OrderStatus> status = ParseOrderStatus(name);
  return status && IsFinal(*status);
}

}  // namespace imeiflow::store
