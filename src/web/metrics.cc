#include "web/metrics.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <map>
#include <memory>

#include "core/clock.h"
#include "core/item_state.h"
#include "store/dispatch_repository.h"
#include "web/api_auth.h"
#include "web/api_response.h"
#include "web/connection_pool.h"

namespace imeiflow::web {
namespace {

constexpr std::array<int64_t, 12> kLatencyBucketsMs = {5,   10,   25,   50,   100,   250,
                                                       500, 1000, 2500, 5000, 10000, 30000};
constexpr const char* kCallOutcomes[] = {"applied", "not_applied", "unknown", "fatal"};
constexpr const char* kOrderStatuses[] = {"pending", "in_process", "completed", "rejected",
                                          "unconfirmed"};

// Text for a metrics family: its HELP and TYPE lines.
void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

// name -> count for each group of `sql` (SELECT name, count ... GROUP BY).
Result<std::map<std::string, int64_t>> CountsBy(store::Database& db, std::string_view sql) {
  Result<store::Statement> rows = db.Prepare(sql);
  if (!rows.ok()) return rows.status();
  std::map<std::string, int64_t> counts;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return counts;
    counts[rows->ColumnText(0)] = rows->ColumnInt(1);
  }
}

int64_t CountOf(const std::map<std::string, int64_t>& counts, const std::string& name) {
  auto it = counts.find(name);
  return it == counts.end() ? 0 : it->second;
}

Status AppendCalls(store::Database& db, std::string& out) {
  Result<std::map<std::string, int64_t>> calls = CountsBy(
      db, "SELECT coalesce(outcome, ''), count(*) FROM calls GROUP BY coalesce(outcome, '')");
  if (!calls.ok()) return calls.status();
  Family(out, "imeiflow_supplier_calls_total", "counter",
         "Supplier calls finished, by outcome (applied: an answer was read; not_applied: proven "
         "not applied; unknown: may have been applied; fatal: credentials refused).");
  for (const char* outcome : kCallOutcomes) {
    out += fmt::format("imeiflow_supplier_calls_total{{outcome=\"{}\"}} {}\n", outcome,
                       CountOf(*calls, outcome));
  }
  Family(out, "imeiflow_supplier_calls_open", "gauge",
         "Supplier calls recorded as sent whose outcome is not written yet.");
  out += fmt::format("imeiflow_supplier_calls_open {}\n", CountOf(*calls, ""));
  return Status::Ok();
}

Status AppendLatency(store::Database& db, std::string& out) {
  std::string sql = "SELECT count(*), total(latency_ms)";
  for (int64_t le : kLatencyBucketsMs) {
    sql += fmt::format(", count(CASE WHEN latency_ms <= {} THEN 1 END)", le);
  }
  sql += " FROM calls WHERE latency_ms IS NOT NULL";
  Result<store::Statement> row = db.Prepare(sql);
  if (!row.ok()) return row.status();
  Result<bool> found = row->Step();
  if (!found.ok()) return found.status();
  const std::string name = "imeiflow_supplier_call_latency_seconds";
  Family(out, name, "histogram", "Time from sending a supplier call to its answer.");
  int64_t count = row->ColumnInt(0);
  for (size_t i = 0; i < kLatencyBucketsMs.size(); ++i) {
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, kLatencyBucketsMs[i] / 1000.0,
                       row->ColumnInt(static_cast<int>(i) + 2));
  }
  out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n", name, count);
  // total() is a float in SQLite; milliseconds are whole, so the text parses exactly.
  out += fmt::format("{}_sum {}\n", name, std::stod(row->ColumnText(1)) / 1000.0);
  out += fmt::format("{}_count {}\n", name, count);
  return Status::Ok();
}

Status AppendItems(store::Database& db, std::string& out) {
  Result<std::map<std::string, int64_t>> items =
      CountsBy(db, "SELECT state, count(*) FROM items GROUP BY state");
  if (!items.ok()) return items.status();
  Family(out, "imeiflow_items", "gauge", "IMEI items of every job, by state.");
  for (ItemState s : kAllItemStates) {
    std::string state(ItemStateName(s));
    out += fmt::format("imeiflow_items{{state=\"{}\"}} {}\n", state, CountOf(*items, state));
  }
  return Status::Ok();
}

Status AppendOrders(store::Database& db, std::string& out) {
  Result<std::map<std::string, int64_t>> orders =
      CountsBy(db, "SELECT status, count(*) FROM orders GROUP BY status");
  if (!orders.ok()) return orders.status();
  Family(out, "imeiflow_orders", "gauge", "Orders the supplier holds for us, by status.");
  for (const char* status : kOrderStatuses) {
    out += fmt::format("imeiflow_orders{{status=\"{}\"}} {}\n", status, CountOf(*orders, status));
  }
  Family(out, "imeiflow_orders_synced_total", "counter",
         "Orders whose final result arrived (completed or rejected).");
  out += fmt::format("imeiflow_orders_synced_total {}\n",
                     CountOf(*orders, "completed") + CountOf(*orders, "rejected"));
  return Status::Ok();
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
  explicit MetricsState(const ApiContext& c) : ctx(c), pool(c.database_path, c.idle_connections) {}
  const ApiContext ctx;
  ConnectionPool pool;
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
  Status s;
  Result<ConnectionPool::Lease> lease = state.pool.Acquire();
  if (!lease.ok()) {
    s = lease.status();
  } else if (Result<store::Statement> ping = (*lease)->Prepare("SELECT 1"); !ping.ok()) {
    s = ping.status();
  } else {
    s = ping->Step().status();
  }
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
  std::string out;
  for (Status (*append)(store::Database&, std::string&) :
       {AppendCalls, AppendLatency, AppendItems, AppendOrders, AppendSpending}) {
    if (Status s = append(db, out); !s.ok()) return s;
  }
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
