// TestProvider: the base of the engine tests' fake suppliers. Place calls
// wait in a queue until the test's Pump() answers them; the other Provider
// calls are not used by the dispatcher and answer kFatal. Not thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <functional>

#include "upstream/provider.h"

namespace imeiflow::engine {

/// A fake supplier behind the Provider interface, for unit tests.
class TestProvider : public upstream::Provider {
 public:
  /// A place call waiting for its answer.
  struct Pending {
    upstream::PlaceOrderRequest request;                   ///< what was sent
    std::function<void(upstream::PlaceOrderResult)> done;  ///< where the answer goes
  };

  void PlaceOrder(upstream::PlaceOrderRequest request,
                  std::function<void(upstream::PlaceOrderResult)> done) override {
    pending_.push_back({std::move(request), std::move(done)});
    ++calls_;
  }
  void ListServices(std::function<void(upstream::ServicesResult)> done) override {
    done(upstream::ServicesResult{Unsupported(), {}});
  }
  void FetchOrders(std::vector<std::string>,
                   std::function<void(upstream::OrdersResult)> done) override {
    done(upstream::OrdersResult{Unsupported(), {}});
  }
  void Probe(std::function<void(upstream::CallVerdict)> done) override { done(Unsupported()); }
  void FetchBalance(std::function<void(upstream::BalanceResult)> done) override {
    done(upstream::BalanceResult{Unsupported(), {}, "", ""});
  }
  bool PlacesBatches() const override { return true; }
  size_t InFlight() const override { return pending_.size(); }

  /// Place calls made so far.
  int calls() const { return calls_; }

 protected:
  std::deque<Pending> pending_;  ///< place calls not yet answered

 private:
  static upstream::CallVerdict Unsupported() {
    upstream::CallVerdict v;
    v.call_class = upstream::CallClass::kFatal;
    v.message = "not supported by the test provider";
    return v;
  }
  int calls_ = 0;
};

}  // namespace imeiflow::engine
