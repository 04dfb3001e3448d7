#include "sim/fault_plan.h"

namespace imeiflow::sim {

FaultPlan::FaultPlan(const FaultOptions& options, uint64_t seed)
    : options_(options), rng_(seed ^ 0xfa017u) {}

bool FaultPlan::Chance(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return std::uniform_real_distribution<double>(0, 1)(rng_) < p;
}

FaultDecision FaultPlan::DrawForPlaceOrder() {
  std::lock_guard lock(mu_);
  FaultDecision d;
  if (Chance(options_.http503)) {
    d.kind = FaultKind::kHttp503;
  } else if (Chance(options_.http500)) {
    d.kind = FaultKind::kHttp500;
    d.commit_first = Chance(0.5);
  } else if (Chance(options_.reset)) {
    d.kind = FaultKind::kReset;
  } else if (Chance(options_.hang)) {
    d.kind = FaultKind::kHang;
  } else if (Chance(options_.html)) {
    d.kind = FaultKind::kHtml;
    d.commit_first = Chance(0.5);
  }
  d.phpxml = Chance(options_.phpxml);
  return d;
}

bool FaultPlan::DrawOmit() {
  std::lock_guard lock(mu_);
  return Chance(options_.omit);
}

bool FaultPlan::Draw(double p) {
  std::lock_guard lock(mu_);
  return Chance(p);
}

FaultDecision FaultPlan::DrawForOtherCall() {
  std::lock_guard lock(mu_);
  FaultDecision d;
  if (Chance(options_.html)) d.kind = FaultKind::kHtml;
  d.phpxml = Chance(options_.phpxml);
  return d;
}

}  // namespace imeiflow::sim
