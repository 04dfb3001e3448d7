// Provider: what the engine sees of a supplier, independent of GSM Fusion.
// (Placeholder shape on the store branch; replaced by the client's at merge.)
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace imeiflow::upstream {

/// How a call as a whole ended.
enum class CallClass { kApplied, kNotApplied, kUnknown, kFatal };

/// The supplier's status of one order.
enum class OrderStatus { kPending, kInProcess, kCompleted, kRejected };

/// What happened to one IMEI of a place call.
enum class ImeiOutcomeKind { kOrdered, kDuplicate, kRejected, kNotMentioned };

/// One IMEI's outcome.
struct ImeiOutcome {
  std::string imei;                                    ///< as sent
  ImeiOutcomeKind kind = ImeiOutcomeKind::kNotMentioned;  ///< what happened
  std::string order_id;                                ///< for kOrdered
  OrderStatus status = OrderStatus::kPending;          ///< for kOrdered
  std::string message;                                 ///< for kRejected
};

/// A place call.
struct PlaceRequest {
  std::string service_id;          ///< networkId
  std::vector<std::string> imeis;  ///< one or more
};

/// The end of a place call.
struct PlaceResult {
  CallClass call_class = CallClass::kUnknown;  ///< the call as a whole
  std::vector<ImeiOutcome> outcomes;           ///< one per IMEI sent, in order
  std::optional<int64_t> retry_after_ms;       ///< from Retry-After
  int http_status = 0;                         ///< 0 when none was read
  bool congestion = false;                     ///< 429, 503 or a timeout
  std::string error;                           ///< what went wrong
  int64_t latency_ms = 0;                      ///< send to end
};

/// A supplier.
class Provider {
 public:
  virtual ~Provider() = default;
  /// Starts a place call; `done` runs on the thread that calls Pump().
  virtual void Place(const PlaceRequest& request, std::function<void(PlaceResult)> done) = 0;
  /// Drives calls for at most `max_wait_ms`, running callbacks of finished ones.
  virtual void Pump(int max_wait_ms) = 0;
};

}  // namespace imeiflow::upstream
