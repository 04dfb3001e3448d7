// Client: the Provider for a GSM Fusion supplier, over any Transport.
//
// Builds each action's request, hands it to the transport, and turns the
// answer into the Provider's verdicts and outcomes (classify.h). The API key
// goes only into request bodies: logs carry its fingerprint, messages never
// carry it (any echo of it in supplier text is masked).
// Not thread-safe: the thread that owns the transport makes every call.
#pragma once

#include <string>

#include "upstream/gsmfusion/request.h"
#include "upstream/http/transport.h"
#include "upstream/provider.h"

namespace imeiflow::upstream::gsmfusion {

/// A GSM Fusion supplier as a Provider.
class Client : public Provider {
 public:
  /// Calls the supplier of `settings` through `transport`, which must outlive the client.
  Client(Settings settings, Transport& transport);

  /// Provider: action `imeiservices`.
  void ListServices(std::function<void(ServicesResult)> done) override;
  /// Provider: action `placeorder`.
  void PlaceOrder(PlaceOrderRequest request, std::function<void(PlaceOrderResult)> done) override;
  /// Provider: action `getimeis`.
  void FetchOrders(std::vector<std::string> order_ids,
                   std::function<void(OrdersResult)> done) override;
  /// Provider: `imeiservices`, which every supplier answers and which needs valid credentials.
  void Probe(std::function<void(CallVerdict)> done) override;
  /// Provider.
  void Pump(std::chrono::milliseconds max_wait) override;
  /// Provider.
  size_t InFlight() const override;

 private:
  // Starts `action`; `handle` turns the response into the call's result.
  void Call(std::string_view action, FormFields fields, std::function<void(HttpResponse)> handle);
  // Masks the API key wherever supplier text might echo it.
  void Scrub(CallVerdict& verdict) const;
  void LogCall(std::string_view action, const HttpResponse& response, const CallVerdict& verdict,
               size_t imeis) const;

  Settings settings_;
  std::string url_;
  std::string fingerprint_;
  Transport& transport_;
};

}  // namespace imeiflow::upstream::gsmfusion
