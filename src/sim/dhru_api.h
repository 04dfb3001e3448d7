// DhruApi: the DHRU Fusion wire protocol of the simulator (dhru-api.md).
//
// Turns one call's form fields into the answer, using the same order book,
// fault plan and counters as the GSM Fusion protocol; SimServer does the
// transport (latency, 429, ledger lines, resets, hangs, HTML pages). Actions:
// accountinfo, imeiservicelist, placeimeiorder, placeimeiorderbulk,
// getimeiorder, getimeiorderbulk, modellist, providerlist; anything else is
// "Invalid Action". Answer variants follow DhruOptions.
// Thread-safe: Handle may run on many threads (the book and plan lock).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/dhru_catalogue.h"
#include "sim/fault_plan.h"
#include "sim/order_book.h"
#include "sim/sim_options.h"
#include "sim/sim_stats.h"

namespace imeiflow::sim {

/// The API path of a DHRU panel.
inline constexpr const char* kDhruApiPath = "/api/index.php";

/// The form fields of one DHRU call.
struct DhruCall {
  std::string username;      ///< username
  std::string apiaccesskey;  ///< apiaccesskey (never logged)
  std::string action;        ///< action
  std::string parameters;    ///< parameters (base64 JSON or XML)
};

/// What to answer, and what the call charged.
struct DhruReply {
  int status = 200;                              ///< HTTP status
  std::string body;                              ///< JSON (or an HTML page)
  bool html = false;                             ///< body is an HTML page
  std::vector<Order> charged;                    ///< orders this call created
  FaultKind transport = FaultKind::kNone;        ///< kReset / kHang: the server acts after the ledger
  std::string ledger_answer = "ok";              ///< the ledger's `answer` for `charged`
};

/// The DHRU protocol handler.
class DhruApi {
 public:
  /// Uses (does not own) the shared parts; all must outlive it.
  DhruApi(const SimOptions& options, const DhruCatalogue& catalogue, OrderBook& book,
          FaultPlan& faults, SimStats& stats);

  /// Handles one call (call_id is recorded with the orders it creates).
  DhruReply Handle(const DhruCall& call, int64_t call_id);

 private:
  DhruReply Error(const std::string& message, int status_4xx) const;
  DhruReply Place(const DhruCall& call, int64_t call_id, bool bulk);
  DhruReply GetOrders(const DhruCall& call, bool bulk);
  // Validates and places one row; the reference id, or the error message.
  std::string PlaceOne(const DhruParameterMap& p, int64_t call_id, std::vector<Order>& created,
                       int64_t& reference_id, int& status_4xx);

  const SimOptions& options_;
  const DhruCatalogue& catalogue_;
  OrderBook& book_;
  FaultPlan& faults_;
  SimStats& stats_;
};

}  // namespace imeiflow::sim
