#include "upstream/provider.h"

#include <optional>
#include <utility>

namespace imeiflow::upstream {

const char* CallClassName(CallClass c) {
  switch (c) {
    case CallClass::kNotApplied:
      return "not_applied";
    case CallClass::kApplied:
      return "applied";
    case CallClass::kUnknown:
      return "unknown";
    case CallClass::kFatal:
      return "fatal";
  }
  return "unknown";
}

const char* OrderStatusName(OrderStatus s) {
  switch (s) {
    case OrderStatus::kPending:
      return "pending";
    case OrderStatus::kCompleted:
      return "completed";
    case OrderStatus::kRejected:
      return "rejected";
    case OrderStatus::kInProcess:
      return "in_process";
    case OrderStatus::kUnrecognised:
      return "unrecognised";
  }
  return "unrecognised";
}

namespace {

// Starts a call through `start` and pumps `provider` until its callback ran.
template <typename R, typename StartFn>
R Wait(Provider& provider, StartFn start) {
  std::optional<R> result;
  start([&result](R r) { result = std::move(r); });
  while (!result) provider.Pump(std::chrono::milliseconds(100));
  return std::move(*result);
}

}  // namespace

ServicesResult Provider::ListServicesBlocking() {
  return Wait<ServicesResult>(*this, [this](auto done) { ListServices(std::move(done)); });
}

PlaceOrderResult Provider::PlaceOrderBlocking(PlaceOrderRequest request) {
  return Wait<PlaceOrderResult>(
      *this, [&](auto done) { PlaceOrder(std::move(request), std::move(done)); });
}

OrdersResult Provider::FetchOrdersBlocking(std::vector<std::string> order_ids) {
  return Wait<OrdersResult>(*this,
                            [&](auto done) { FetchOrders(std::move(order_ids), std::move(done)); });
}

CallVerdict Provider::ProbeBlocking() {
  return Wait<CallVerdict>(*this, [this](auto done) { Probe(std::move(done)); });
}

BalanceResult Provider::FetchBalanceBlocking() {
  return Wait<BalanceResult>(*this, [this](auto done) { FetchBalance(std::move(done)); });
}

}  // namespace imeiflow::upstream
