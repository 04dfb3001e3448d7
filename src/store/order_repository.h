// OrderRepository: the orders the supplier holds for us, searched by IMEI
// list, status, service, job and date, newest first, paged.
// Not thread-safe: one per Database connection (the web server gives each
// worker thread its own read connection).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/result_code.h"
#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// One order as stored.
struct OrderRecord {
  int64_t id = 0;                   ///< local id
  std::string upstream_id;          ///< the supplier's id; empty while unconfirmed
  std::string imei;                 ///< 15 digits
  std::string service_id;           ///< the supplier's service
  std::string status;               ///< pending, in_process, completed, rejected, unconfirmed
  Money price;                      ///< what it cost
  std::optional<int64_t> job_id;    ///< the job that placed it (none when imported)
  int64_t placed_at = 0;            ///< Unix ms
  std::string code;                 ///< the supplier's result text, once known
  ResultFields fields;              ///< `code` parsed (empty until a result arrives)
  std::optional<int64_t> stale_at;  ///< when the syncer gave up on it (Unix ms)
};

/// The orders column holding the parsed field `name` (see ResultFieldColumns):
/// the name itself, except the code's "imei", stored as `code_imei`.
std::string_view OrderFieldColumn(std::string_view name);

/// Which orders to return.
struct OrderFilter {
  std::vector<std::string> imeis;         ///< any of these IMEIs (empty: all)
  std::optional<std::string> status;      ///< only this status
  std::optional<std::string> service_id;  ///< only this service
  std::optional<int64_t> job_id;          ///< only this job
  std::optional<int64_t> since_ms;        ///< placed at or after
  std::optional<int64_t> until_ms;        ///< placed before (exclusive)
  std::optional<int64_t> order_id;        ///< only the order with this local id
  int64_t limit = 100;                    ///< page size
  int64_t offset = 0;                     ///< rows to skip
};

/// Reads orders.
class OrderRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit OrderRepository(Database& db) : db_(db) {}

  /// Orders matching `filter`, newest first.
  Result<std::vector<OrderRecord>> Find(const OrderFilter& filter);
  /// Calls `visit` with every order matching `filter` (its limit and offset
  /// ignored), newest first, one row at a time: memory stays flat however
  /// many orders match. Stops at the first error `visit` returns, and
  /// returns it.
  Status ForEach(const OrderFilter& filter, const std::function<Status(const OrderRecord&)>& visit);
  /// The order with local id `id`, if there is one.
  Result<std::optional<OrderRecord>> FindById(int64_t id);
  /// The IMEIs of `imeis` that have no order at all.
  Result<std::vector<std::string>> Missing(const std::vector<std::string>& imeis);
  /// Stores what the supplier says about order `id`: its status, its code
  /// (kept raw) and the fields parsed from the code.
  Status SetResult(int64_t id, std::string_view status, std::string_view code, int64_t now_ms);

 private:
  // Runs the query for `filter` (paged or not), calling `visit` per row.
  Status Select(const OrderFilter& filter, bool paged,
                const std::function<Status(const OrderRecord&)>& visit);
  Database& db_;
};

}  // namespace imeiflow::store
