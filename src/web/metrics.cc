#include "web/metrics.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <map>
#include <memory>

#include "core/clock.h"
#include "core/item_state.h"
#include "store/dispatch_repository.h"
#include "store/metrics_figures.h"
#include "store/order_status.h"
#include "web/api_auth.h"
#include "web/api_response.h"
#include "web/connection_pool.h"

namespace imeiflow::web {
namespace {

constexpr std::array<int64_t, 12> kLatencyBucketsMs = {5,   10,   25,   50,   100,   250,
                                                       500, 1000, 2500, 5000, 10000, 30000};
constexpr const char* kCallOutcomes[] = {"applied", "not_applied", "unknown", "fatal"};

// Text for a metrics family: its HELP and TYPE lines.
void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

int64_t CountOf(const std::map<std::string, int64_t>& counts, const std::string& name) {
  auto it = counts.find(name);
  return it == counts.end() ? 0 : it->second;
}

void AppendCalls(const store::MetricsFigures& figures, std::string& out) {
  const std::map<std::string, int64_t>& calls = figures.calls_by_outcome;
  Family(out, "imeiflow_supplier_calls_total", "counter",
         "Supplier calls finished, by outcome (applied: an answer was read; not_applied: proven "
         "not applied; unknown: may have been applied; fatal: credentials refused).");
  for (const char* outcome : kCallOutcomes) {
    out += fmt::format("imeiflow_supplier_calls_total{{outcome=\"{}\"}} {}\n", outcome,
                       CountOf(calls, outcome));
  }
  Family(out, "imeiflow_supplier_calls_open", "gauge",
         "Supplier calls recorded as sent whose outcome is not written yet.");
  out += fmt::format("imeiflow_supplier_calls_open {}\n", CountOf(calls, ""));
}

void AppendLatency(const store::MetricsFigures& figures, std::string& out) {
  const store::CallLatency& latency = figures.latency;
  const std::string name = "imeiflow_supplier_call_latency_seconds";
  Family(out, name, "histogram", "Time from sending a supplier call to its answer.");
  for (size_t i = 0; i < kLatencyBucketsMs.size(); ++i) {
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, kLatencyBucketsMs[i] / 1000.0,
                       latency.at_most[i]);
  }
  out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", name, latency.count);
  out += fmt::format("{}_sum {}\n", name, latency.sum_ms / 1000.0);
  out += fmt::format("{}_count {}\n", name, latency.count);
}

void AppendItems(const store::MetricsFigures& figures, std::string& out) {
  Family(out, "imeiflow_items", "gauge", "IMEI items of every job, by state.");
  for (ItemState s : kAllItemStates) {
    std::string state(ItemStateName(s));
    out += fmt::format("imeiflow_items{{state=\"{}\"}} {}\n", state,
                       CountOf(figures.items_by_state, state));
  }
}

void AppendOrders(const store::MetricsFigures& figures, std::string& out) {
  const std::map<std::string, int64_t>& orders = figures.orders_by_status;
  Family(out, "imeiflow_orders", "gauge", "Orders the supplier holds for us, by status.");
  for (store::OrderStatus s : store::kAllOrderStatuses) {
    std::string status(store::OrderStatusName(s));
    out += fmt::format("imeiflow_orders{{status=\"{}\"}} {}\n", status, CountOf(orders, status));
  }
  Family(out, "imeiflow_orders_synced_total", "counter",
         "Orders whose final result arrived (completed or rejected).");
  int64_t synced = 0;
  for (store::OrderStatus s : store::kAllOrderStatuses) {
    if (store::IsFinal(s)) synced += CountOf(orders, std::string(store::OrderStatusName(s)));
  }
  out += fmt::format("imeiflow_orders_synced_total {}\n", synced);
}

void AppendLive(const LiveEngineStats& live, std::string& out) {
  if (live.in_flight_limit) {
    Family(out, "imeiflow_dispatch_in_flight_limit", "gauge",
           "How many supplier calls the adaptive limiter allows at once now.");
    out += fmt::format("imeiflow_dispatch_in_flight_limit {}\n", *live.in_flight_limit);
  }
  if (live.in_flight) {
    Family(out, "imeiflow_dispatch_in_flight", "gauge", "Supplier calls in flight now.");
    out += fmt::format("imeiflow_dispatch_in_flight {}\n", *live.in_flight);
  }
}

// What the routes share; lives as long as the server's handlers.
struct MetricsState {
  explicit MetricsState(const ApiContext& c) : ctx(c), pool(*c.connections) {}
  const ApiContext ctx;
  ConnectionPool& pool;  // the server's one pool
};

void ServeMetrics(MetricsState& state, const HttpRequest& req, HttpResponse& res) {
  Result<ConnectionPool::Lease> lease = state.pool.Acquire();
  if (!lease.ok()) {
    spdlog::error("/metrics: cannot open the database: {}", lease.status().message());
    return SendError(res, 503, "the database is not available");
  }
  Result<ApiCaller> caller =
      AuthenticateBearer(req.Header("Authorization"), **lease, state.ctx.clock->NowMs());
  if (!caller.ok()) {
    if (caller.status().code() == StatusCode::kPermissionDenied) {
      return SendError(res, 401, caller.status().message());
    }
    return SendStatus(res, caller.status());
  }
  LiveEngineStats live = state.ctx.live_stats ? state.ctx.live_stats() : LiveEngineStats{};
  Result<std::string> text = MetricsText(**lease, live);
  if (!text.ok()) return SendStatus(res, text.status());
  res.SetContent(*text, "text/plain; version=0.0.4; charset=utf-8");
}

void ServeHealth(MetricsState& state, HttpResponse& res) {
  Result<ConnectionPool::Lease> lease = state.pool.Acquire();
  Status s = lease.ok() ? store::Ping(**lease) : lease.status();
  if (!s.ok()) {
    spdlog::error("/healthz: {}", s.message());
    res.status = 503;
    res.SetContent("database unavailable\n", "text/plain");
    return;
  }
  res.SetContent("ok\n", "text/plain");
}

}  // namespace

std::span<const int64_t> LatencyBucketsMs() { return kLatencyBucketsMs; }

// Today's money as the supplier counts it: charged, refunded, and spent
// (charged minus refunded: what the daily cap counts), in dollars.
Status AppendSpending(store::Database& db, std::string& out) {
  Result<store::DaySpending> today =
      store::DispatchRepository(db).SpendingOn(SystemClock().NowMs());
  if (!today.ok()) return today.status();
  Family(out, "imeiflow_money_today_dollars", "gauge",
         "Money of the UTC day: charged, refunded (rejected orders), spent = charged - refunded.");
  for (const auto& [figure, money] : {std::pair{"charged", today->charged},
                                      std::pair{"refunded", today->refunded},
                                      std::pair{"spent", today->spent()}}) {
    out += fmt::format("imeiflow_money_today_dollars{{figure=\"{}\"}} {:.2f}\n", figure,
                       static_cast<double>(money.cents()) / 100.0);
  }
  return Status::Ok();
}

Result<std::string> MetricsText(store::Database& db, const LiveEngineStats& live) {
  Result<store::MetricsFigures> figures = store::LoadMetricsFigures(db, kLatencyBucketsMs);
  if (!figures.ok()) return figures.status();
  std::string out;
  for (void (*append)(const store::MetricsFigures&, std::string&) :
       {AppendCalls, AppendLatency, AppendItems, AppendOrders}) {
    append(*figures, out);
  }
  if (Status s = AppendSpending(db, out); !s.ok()) return s;
  AppendLive(live, out);
  return out;
}

void RegisterMetricsRoutes(Router& server, const ApiContext& ctx) {
  auto state = std::make_shared<MetricsState>(ctx);
  server.Get("/metrics", [state](const HttpRequest& req, HttpResponse& res) {
    try {
      ServeMetrics(*state, req, res);
    } catch (const std::exception& e) {
      spdlog::error("/metrics: {}", e.what());
      SendError(res, 500, "internal error; the server log has the details");
    }
  });
  server.Get("/healthz", [state](const HttpRequest&, HttpResponse& res) {
    ServeHealth(*state, res);
  });
}

}  // namespace imeiflow::web
