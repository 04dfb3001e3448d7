#include "store/metrics_figures.h"

#include <fmt/format.h>

namespace imeiflow::store {
namespace {

// name -> count for each group of `sql` (SELECT name, count ... GROUP BY).
Result<std::map<std::string, int64_t>> CountsBy(Database& db, std::string_view sql) {
  Result<Statement> rows = db.Prepare(sql);
  if (!rows.ok()) return rows.status();
  std::map<std::string, int64_t> counts;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return counts;
    counts[rows->ColumnText(0)] = rows->ColumnInt(1);
  }
}

Result<CallLatency> LoadLatency(Database& db, std::span<const int64_t> bounds_ms) {
  std::string sql = "SELECT count(*), total(latency_ms)";
  for (int64_t le : bounds_ms) {
    sql += fmt::format(", count(CASE WHEN latency_ms <= {} THEN 1 END)", le);
  }
  sql += " FROM calls WHERE latency_ms IS NOT NULL";
  Result<Statement> row = db.Prepare(sql);
  if (!row.ok()) return row.status();
  if (Result<bool> found = row->Step(); !found.ok()) return found.status();
  CallLatency latency;
  latency.count = row->ColumnInt(0);
  // total() is a float in SQLite; milliseconds are whole, so the text parses exactly.
  latency.sum_ms = std::stod(row->ColumnText(1));
  for (size_t i = 0; i < bounds_ms.size(); ++i) {
    latency.at_most.push_back(row->ColumnInt(static_cast<int>(i) + 2));
  }
  return latency;
}

}  // namespace

Result<MetricsFigures> LoadMetricsFigures(Database& db,
                                          std::span<const int64_t> latency_bounds_ms) {
  MetricsFigures figures;
  Result<std::map<std::string, int64_t>> calls = CountsBy(
      db, "SELECT coalesce(outcome, ''), count(*) FROM calls GROUP BY coalesce(outcome, '')");
  if (!calls.ok()) return calls.status();
  figures.calls_by_outcome = std::move(*calls);
  Result<CallLatency> latency = LoadLatency(db, latency_bounds_ms);
  if (!latency.ok()) return latency.status();
  figures.latency = std::move(*latency);
  Result<std::map<std::string, int64_t>> items =
      CountsBy(db, "SELECT state, count(*) FROM items GROUP BY state");
  if (!items.ok()) return items.status();
  figures.items_by_state = std::move(*items);
  Result<std::map<std::string, int64_t>> orders =
      CountsBy(db, "SELECT status, count(*) FROM orders GROUP BY status");
  if (!orders.ok()) return orders.status();
  figures.orders_by_status = std::move(*orders);
  return figures;
}

Status Ping(Database& db) {
  Result<Statement> ping = db.Prepare("SELECT 1");
  if (!ping.ok()) return ping.status();
  return ping->Step().status();
}

}  // namespace imeiflow::store
