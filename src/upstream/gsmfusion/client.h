// Client: the Provider for a GSM Fusion supplier, over any Transport.
//
// Builds each action's request, hands it to the transport, and turns the
// answer into the Provider's verdicts and outcomes (classify.h). The API key
// goes only into request bodies: logs carry its fingerprint, messages never
// carry it (any echo of it in supplier text is masked); nor do they carry the
// user-info of the supplier's URL. Retry-After dates are read against the
// Clock given.
// Not thread-safe: the thread that owns the transport makes every call.
#pragma once

#include <ctime>
#include <string>

#include "core/clock.h"
#include "upstream/gsmfusion/request.h"
#include "upstream/http/transport.h"
#include "upstream/provider.h"

namespace imeiflow::upstream::gsmfusion {

/// A GSM Fusion supplier as a Provider.
class Client : public Provider {
 public:
  /// Calls the supplier of `settings` through `transport`, telling the time by
  /// `clock`; both must outlive the client.
  Client(Settings settings, Transport& transport, const Clock& clock);

  /// Provider: action `imeiservices`.
  void ListServices(std::function<void(ServicesResult)> done) override;
  /// Provider: action `placeorder`.
  void PlaceOrder(PlaceOrderRequest request, std::function<void(PlaceOrderResult)> done) override;
  /// Provider: action `getimeis`.
  void FetchOrders(std::vector<std::string> order_ids,
                   std::function<void(OrdersResult)> done) override;
  /// Provider: `imeiservices`, which every supplier answers and which needs valid credentials.
  void Probe(std::function<void(CallVerdict)> done) override;
  /// Provider: GSM Fusion has no balance action; answers "not available" at
  /// once (from this call, not a later Pump), without calling.
  void FetchBalance(std::function<void(BalanceResult)> done) override;
  /// Provider: true, `placeorder` takes a comma-separated list of IMEIs.
  bool PlacesBatches() const override { return true; }
  /// Provider.
  void Pump(std::chrono::milliseconds max_wait) override;
  /// Provider.
  size_t InFlight() const override;

 private:
  // Starts `action`; `handle` turns the response into the call's result.
  void Call(std::string_view action, FormFields fields, std::function<void(HttpResponse)> handle);
  // The current time in Unix seconds, for Retry-After dates.
  std::time_t Now() const;
  // Masks the API key and the URL's user-info wherever text might echo them.
  void Scrub(CallVerdict& verdict) const;
  void LogCall(std::string_view action, const HttpResponse& response, const CallVerdict& verdict,
               size_t imeis) const;

  Settings settings_;
  std::string shown_url_;  // the API URL as messages show it (user-info masked)
  std::string fingerprint_;
  Transport& transport_;
  const Clock& clock_;
};

}  // namespace imeiflow::upstream::gsmfusion
