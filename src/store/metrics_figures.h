// MetricsFigures: the counts /metrics exposes, read from the database in one
// place: supplier calls by outcome and their latency, items by state, orders
// by status. A value type; the functions use the connection they are given
// (not thread-safe, like Database).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// The latency of the supplier calls that have one.
struct CallLatency {
  int64_t count = 0;             ///< calls with a latency
  double sum_ms = 0;             ///< their latencies added up
  std::vector<int64_t> at_most;  ///< per bucket bound asked for: calls that took at most it
};

/// What /metrics counts.
struct MetricsFigures {
  std::map<std::string, int64_t> calls_by_outcome;  ///< "" for calls whose outcome is not written
  CallLatency latency;                              ///< of finished calls
  std::map<std::string, int64_t> items_by_state;    ///< state name -> items
  std::map<std::string, int64_t> orders_by_status;  ///< stored status -> orders
};

/// Reads the figures; the latency histogram has a bucket per bound of
/// `latency_bounds_ms` (ascending).
Result<MetricsFigures> LoadMetricsFigures(Database& db, std::span<const int64_t> latency_bounds_ms);

/// Ok when the database answers a query (what /healthz asks).
Status Ping(Database& db);

}  // namespace imeiflow::store
