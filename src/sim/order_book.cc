#include "sim/order_book.h"

#include "sim/imei_check.h"
#include "sim/result_codes.h"

namespace imeiflow::sim {

const char* StatusWord(OrderStatus status) {
  switch (status) {
    case OrderStatus::kPending:
      return "Pending";
    case OrderStatus::kCompleted:
      return "Completed";
    case OrderStatus::kRejected:
      return "Rejected";
    case OrderStatus::kInProcess:
      return "In Process";
  }
  return "Pending";
}

OrderBook::OrderBook(OrderBookSettings settings, const SimClock& clock)
    : settings_(settings),
      clock_(clock),
      rng_(settings.seed),
      credit_cents_(settings.balance_cents) {}

PlaceOutcome OrderBook::Place(const Service& service, const std::vector<std::string>& imeis,
                              int64_t call_id) {
  PlaceOutcome outcome;
  size_t first = 0;
  if (settings_.batch == BatchMode::kLast && imeis.size() > 1) {
    first = imeis.size() - 1;
    outcome.dropped.assign(imeis.begin(), imeis.end() - 1);
  }
  auto now = clock_.Now();
  std::bernoulli_distribution rejects(settings_.reject_ratio);
  std::lock_guard lock(mu_);
  std::optional<int64_t> available;
  if (credit_cents_) available = *credit_cents_ - charged_cents_ + RefundedCentsLocked(now);
  for (size_t i = first; i < imeis.size(); ++i) {
    const std::string& imei = imeis[i];
    if (!IsValidImei(imei)) {
      outcome.invalid.push_back(imei);
      continue;
    }
    std::string key = service.id + '\n' + imei;
    if (settings_.duplicates == DuplicateMode::kRefuse && ordered_.contains(key)) {
      outcome.duplicates.push_back(imei);
      continue;
    }
    if (available && *available < service.price.cents()) {
      outcome.no_credit.push_back(imei);
      continue;
    }
    ordered_.insert(std::move(key));
    if (available) *available -= service.price.cents();
    charged_cents_ += service.price.cents();
    Order order;
    order.id = settings_.first_order_id + static_cast<int64_t>(orders_.size());
    order.service = &service;
    order.imei = imei;
    order.placed = now;
    order.will_reject = rejects(rng_);
    order.call_id = call_id;
    if (order.will_reject) rejecting_.push_back(orders_.size());
    orders_.push_back(order);
    outcome.created.push_back(std::move(order));
  }
  return outcome;
}

std::vector<OrderView> OrderBook::Lookup(const std::vector<int64_t>& ids) const {
  auto now = clock_.Now();
  std::vector<Order> found;
  {
    std::lock_guard lock(mu_);
    for (int64_t id : ids) {
      int64_t index = id - settings_.first_order_id;
      if (index >= 0 && index < static_cast<int64_t>(orders_.size())) {
        found.push_back(orders_[index]);
      }
    }
  }
  std::vector<OrderView> views;
  views.reserve(found.size());
  for (const Order& order : found) views.push_back(View(order, now));
  return views;
}

int64_t OrderBook::size() const {
  std::lock_guard lock(mu_);
  return static_cast<int64_t>(orders_.size());
}

BookMoney OrderBook::Totals() const {
  auto now = clock_.Now();
  BookMoney money;
  std::lock_guard lock(mu_);
  money.charged_cents = charged_cents_;
  money.refunded_cents = RefundedCentsLocked(now);
  if (credit_cents_) money.balance_cents = *credit_cents_ - charged_cents_ + money.refunded_cents;
  return money;
}

int64_t OrderBook::RefundedCentsLocked(std::chrono::system_clock::time_point now) const {
  int64_t cents = 0;
  for (size_t index : rejecting_) {
    const Order& order = orders_[index];
    if (now - order.placed >= settings_.complete_after) cents += order.service->price.cents();
  }
  return cents;
}

void OrderBook::AddCredit(int64_t cents) {
  std::lock_guard lock(mu_);
  if (credit_cents_) *credit_cents_ += cents;
}

std::optional<int64_t> OrderBook::BalanceCents() const {
  auto now = clock_.Now();
  std::lock_guard lock(mu_);
  if (!credit_cents_) return std::nullopt;
  return *credit_cents_ - charged_cents_ + RefundedCentsLocked(now);
}

OrderView OrderBook::View(const Order& order, std::chrono::system_clock::time_point now) const {
  OrderView view;
  view.id = order.id;
  view.package = order.service->title;
  view.imei = order.imei;
  view.placed = order.placed;
  auto age = now - order.placed;
  if (age < settings_.process_after) {
    view.status = OrderStatus::kPending;
  } else if (age < settings_.complete_after) {
    view.status = OrderStatus::kInProcess;
  } else if (order.will_reject) {
    view.status = OrderStatus::kRejected;
    view.code = RejectionReason(order.imei, settings_.seed);
  } else {
    view.status = OrderStatus::kCompleted;
    view.code = CompletedCode(order.service->kind, order.imei, settings_.seed);
  }
  return view;
}

}  // namespace imeiflow::sim
