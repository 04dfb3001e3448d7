// Provider: what the engine sees of a supplier, independent of its protocol
// (GSM Fusion or DHRU).
//
// Every call is asynchronous: it starts at once and its callback runs from a
// later Pump() on the same thread, so one dispatcher thread can keep many
// calls in flight. The *Blocking wrappers start one call and pump until it
// finishes (CLI, tests).
//
// Every call ends with a CallVerdict saying whether the supplier acted on it:
// the engine's exactly-once rules hang on this (design: "Exactly-once
// submission"). A place call also gives one ImeiOutcome per IMEI sent.
// Not thread-safe: one thread owns a Provider and makes every call on it.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"

namespace imeiflow::upstream {

/// Whether the supplier acted on a call.
enum class CallClass {
  kNotApplied,  ///< provably not acted on (nothing sent, refused before acting: 429, 503); may
                ///< retry
  kApplied,     ///< an answer was read and parsed
  kUnknown,     ///< may have been acted on (timeout after sending, reset, 5xx, unreadable answer)
  kFatal,       ///< the supplier refused the account or the setup (bad credentials): stop, tell the
                ///< operator
};

/// "not_applied", "applied", "unknown" or "fatal".
const char* CallClassName(CallClass c);

/// How a call ended.
struct CallVerdict {
  CallClass call_class = CallClass::kUnknown;  ///< see CallClass
  std::string message;  ///< what went wrong, for people; empty when applied cleanly
  std::optional<std::chrono::seconds> retry_after;  ///< the supplier's Retry-After, if any
  int http_status = 0;                              ///< 0 when no HTTP answer was read
  std::vector<std::string> warnings;                ///< oddities that did not change the outcome
  bool out_of_credit = false;  ///< kFatal: refused for lack of credit; nothing was applied
};

/// Whether a service field is one of the protocol's own parameters.
enum class FieldKind {
  kStandard,  ///< a named parameter (DHRU `Requires`: MODELID, PROVIDERID, PIN, KBH, MEP, SN, ...)
  kCustom,    ///< a field the supplier defined for the service (DHRU `Requires.Custom`)
};

/// One value a service needs (or accepts) with an order.
struct ServiceField {
  std::string name;  ///< as the supplier spells it: the parameter or custom field name
  FieldKind kind = FieldKind::kStandard;  ///< see FieldKind
  std::string type;  ///< custom fields: text, dropdown, radio, textarea, tickbox, ...
  std::vector<std::string> options;  ///< dropdown / radio choices, in the supplier's order
  std::string pattern;               ///< a regular expression the value must match; empty: any
  std::string description;           ///< the supplier's words for people (untrusted)
  bool required = false;             ///< an order without it is refused
};

/// One IMEI service the supplier sells.
struct Service {
  std::string id;              ///< PackageId / SERVICEID: the id to order with
  std::string category;        ///< Category (DHRU: the group name)
  std::string title;           ///< PackageTitle
  std::optional<Money> price;  ///< PackagePrice; none when the supplier's text was not a price
  std::string price_text;      ///< PackagePrice verbatim
  std::string delivery;        ///< TimeTaken, e.g. "1-5 Minutes"
  std::string must_read;       ///< MustRead notes / INFO (supplier HTML, untrusted)
  std::string group;           ///< DHRU GROUPNAME; GSM Fusion: its Category
  std::vector<ServiceField> fields;  ///< the values an order may or must carry
};

/// Where an order stands at the supplier.
enum class OrderStatus { kPending, kCompleted, kRejected, kInProcess, kUnrecognised };

/// "pending", "completed", "rejected", "in_process" or "unrecognised".
const char* OrderStatusName(OrderStatus s);

/// One order parameter: a name as the supplier spells it (GSM Fusion
/// `modelNo`, `providerId`; DHRU `MODELID`, `PROVIDERID`, a custom field's
/// name) and its value.
struct OrderField {
  std::string name;   ///< the parameter's name
  std::string value;  ///< its value
};

/// The extra values sent with every IMEI of an order, in the given order.
using OrderFields = std::vector<OrderField>;

/// One call ordering one service for one or more IMEIs.
struct PlaceOrderRequest {
  std::string service_id;          ///< the service's id (PackageId)
  std::vector<std::string> imeis;  ///< IMEIs to order, at least one
  OrderFields fields;              ///< extra parameters (model, network, custom fields, ...)
};

/// What became of one IMEI of a place call.
enum class ImeiOutcomeKind {
  kOrdered,       ///< an order exists: order_id (and status) set
  kDuplicate,     ///< the supplier already had it; not charged, no order id
  kRejected,      ///< the supplier refused this IMEI: message says why
  kNotMentioned,  ///< the answer said nothing of it: not ordered, send again (alone)
  kUnknown,       ///< may or may not have been ordered (a bulk row neither ordered nor refused)
};

/// The outcome of one IMEI of a place call.
struct ImeiOutcome {
  std::string imei;                                       ///< as sent
  ImeiOutcomeKind kind = ImeiOutcomeKind::kNotMentioned;  ///< see ImeiOutcomeKind
  std::string order_id;                                   ///< kOrdered: the supplier's order id
  OrderStatus status = OrderStatus::kPending;             ///< kOrdered: the status reported with it
  std::string message;                                    ///< kRejected: the supplier's words
};

/// The result of a place call.
struct PlaceOrderResult {
  CallVerdict verdict;                ///< whether the supplier acted on the call
  std::vector<ImeiOutcome> outcomes;  ///< kApplied only: one per IMEI sent, in the order sent
};

/// One order as the supplier reports it.
struct OrderInfo {
  std::string order_id;                             ///< id
  std::string service;                              ///< package (the service's title)
  std::string imei;                                 ///< imei
  OrderStatus status = OrderStatus::kUnrecognised;  ///< status
  std::string status_text;                          ///< status verbatim
  std::string code;          ///< the result (Completed) or the reason (Rejected); untrusted
  std::string requested_at;  ///< requestedat, "YYYY-MM-DD HH:MM:SS"
};

/// The result of listing services.
struct ServicesResult {
  CallVerdict verdict;            ///< kApplied when `services` is the supplier's list
  std::vector<Service> services;  ///< in the supplier's order
};

/// The result of fetching orders.
struct OrdersResult {
  CallVerdict verdict;            ///< kApplied when `orders` is the supplier's answer
  std::vector<OrderInfo> orders;  ///< the orders found (ids not found are simply absent)
};

/// The result of asking the supplier for the account's credit.
struct BalanceResult {
  CallVerdict verdict;           ///< kApplied when `balance_text` is the supplier's figure
  std::optional<Money> balance;  ///< none when the supplier's text was not an amount
  std::string balance_text;      ///< the supplier's figure verbatim
  std::string currency;          ///< e.g. "USD"; empty when not said
};

/// A supplier, as the engine drives it.
class Provider {
 public:
  virtual ~Provider() = default;

  /// Lists the supplier's IMEI services.
  virtual void ListServices(std::function<void(ServicesResult)> done) = 0;
  /// Orders `request.service_id` for every IMEI of `request`.
  virtual void PlaceOrder(PlaceOrderRequest request,
                          std::function<void(PlaceOrderResult)> done) = 0;
  /// Fetches the orders with these ids.
  virtual void FetchOrders(std::vector<std::string> order_ids,
                           std::function<void(OrdersResult)> done) = 0;
  /// A cheap authenticated call proving reachability and credentials.
  virtual void Probe(std::function<void(CallVerdict)> done) = 0;
  /// The account's credit; a protocol without a balance call answers
  /// kNotApplied "not available" without calling.
  virtual void FetchBalance(std::function<void(BalanceResult)> done) = 0;
  /// True when one place call may carry many IMEIs, so the dispatcher can size calls.
  virtual bool PlacesBatches() const = 0;

  /// Drives calls in flight for at most `max_wait` and runs finished callbacks.
  virtual void Pump(std::chrono::milliseconds max_wait) = 0;
  /// Calls started whose callback has not run yet.
  virtual size_t InFlight() const = 0;

  /// ListServices, waiting for the answer.
  ServicesResult ListServicesBlocking();
  /// PlaceOrder, waiting for the answer.
  PlaceOrderResult PlaceOrderBlocking(PlaceOrderRequest request);
  /// FetchOrders, waiting for the answer.
  OrdersResult FetchOrdersBlocking(std::vector<std::string> order_ids);
  /// Probe, waiting for the answer.
  CallVerdict ProbeBlocking();
  /// FetchBalance, waiting for the answer.
  BalanceResult FetchBalanceBlocking();
};

}  // namespace imeiflow::upstream
