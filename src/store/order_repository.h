// OrderRepository: the orders the supplier holds for us, searched by IMEI
// list, status, service, job, date and result (FMI, SIM-lock, carrier,
// blacklist, text of the code), newest first or, for an IMEI list, in the
// list's order with its IMEIs that have no matching order as rows; paged and
// counted.
//
// Result filters match the supplier's free text of the parsed columns, case
// ignored: FMI "on"/"off" as a word ("ON", "Find My iPhone: On", "FMI: OFF",
// "ON (Lost Mode)"); SIM-lock "unlocked" when the text holds "unlocked",
// "locked" when it holds "locked" but not "unlocked"; blacklisted "yes" when
// the GSMA status holds "blacklist" (not "not blacklist"), "lost", "stolen" or
// "barred", "no" when it holds "clean" or "not blacklist"; carrier and code
// when they hold the given text.
// Not thread-safe: one per Database connection (the web server gives each
// worker thread its own read connection).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/result_code.h"
#include "core/status.h"
#include "store/database.h"
#include "store/order_status.h"

namespace imeiflow::store {

/// One order as stored.
struct OrderRecord {
  int64_t id = 0;                   ///< local id
  std::string upstream_id;          ///< the supplier's id; empty while unconfirmed
  std::string imei;                 ///< 15 digits
  std::string service_id;           ///< the supplier's service
  OrderStatus status = OrderStatus::kPending;  ///< where it stands
  Money price;                      ///< what it cost
  std::optional<int64_t> job_id;    ///< the job that placed it (none when imported)
  int64_t placed_at = 0;            ///< Unix ms
  std::string code;                 ///< the supplier's result text, once known
  ResultFields fields;              ///< `code` parsed (empty until a result arrives)
  std::optional<int64_t> stale_at;  ///< when the syncer gave up on it (Unix ms)
};

/// Why the supplier refused `order`: its code when rejected, else empty.
std::string RejectionReason(const OrderRecord& order);

/// The orders column holding the parsed field `name` (see ResultFieldColumns):
/// the name itself, except the code's "imei", stored as `code_imei`.
std::string_view OrderFieldColumn(std::string_view name);

/// Whether the order is one no poll will update: pending or in process
/// without a supplier order id (known only from the supplier's export).
bool IsKnownFromExportOnly(const OrderRecord& order);

/// The shop's words for where `order` stands (OrderStateWord).
std::string_view OrderStateText(const OrderRecord& order);

/// A filter by Find My iPhone.
enum class FmiFilter { kOn, kOff };
/// A filter by SIM-lock.
enum class SimlockFilter { kLocked, kUnlocked };

/// Which orders to return.
struct OrderFilter {
  std::vector<std::string> imeis;         ///< any of these IMEIs (empty: all)
  std::optional<OrderStatus> status;      ///< only this status
  std::optional<std::string> service_id;  ///< only this service
  std::optional<int64_t> job_id;          ///< only this job
  std::optional<int64_t> since_ms;        ///< placed at or after
  std::optional<int64_t> until_ms;        ///< placed before (exclusive)
  std::optional<int64_t> order_id;        ///< only the order with this local id
  std::optional<FmiFilter> fmi;           ///< only FMI on / off
  std::optional<SimlockFilter> simlock;   ///< only SIM-locked / unlocked
  std::optional<bool> blacklisted;        ///< only blacklisted (true) / clean (false)
  std::optional<std::string> carrier;     ///< only carriers holding this text (any case)
  std::optional<std::string> code;        ///< only codes holding this text (any case)
  int64_t limit = 100;                    ///< page size
  int64_t offset = 0;                     ///< rows to skip
};

/// The result filters' names, as query parameters and (with "--") CLI flags.
inline constexpr std::array<std::string_view, 5> kResultFilterNames = {
    "fmi", "simlock", "blacklisted", "carrier", "code"};

/// Sets the result filter `name` (one of kResultFilterNames) of `filter` from
/// `value`: fmi on|off, simlock locked|unlocked, blacklisted yes|no (any
/// case), carrier and code any text. InvalidArgument saying the allowed
/// values otherwise (the caller prefixes where the value came from).
Status SetResultFilter(std::string_view name, std::string_view value, OrderFilter& filter);

/// One row of an IMEI list's search: a listed IMEI and one of its matching
/// orders, or none (then the IMEI has no order the filter matches).
struct ListedOrder {
  std::string imei;                  ///< as listed
  std::optional<OrderRecord> order;  ///< none: "no order"
};

/// The query OrderRepository runs for `filter`: paged or not, with `listed`
/// keeping listed IMEIs without an order as rows. Public so that a test can
/// ask SQLite which index it uses.
std::string OrderSelectSql(const OrderFilter& filter, bool paged, bool listed);
/// The query counting the rows OrderSelectSql would return (see Count).
std::string OrderCountSql(const OrderFilter& filter, bool listed);

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
  /// For a filter with IMEIs: one row per matching order and one per listed
  /// IMEI without one, in the list's order (an IMEI's orders newest first), paged.
  Result<std::vector<ListedOrder>> FindListed(const OrderFilter& filter);
  /// FindListed without paging, one row at a time (see ForEach).
  Status ForEachListed(const OrderFilter& filter,
                       const std::function<Status(const ListedOrder&)>& visit);
  /// How many orders match `filter` (limit and offset ignored); with
  /// `listed`, the rows FindListed would return in all.
  Result<int64_t> Count(const OrderFilter& filter, bool listed = false);
  /// The order with local id `id`, if there is one.
  Result<std::optional<OrderRecord>> FindById(int64_t id);
  /// The IMEIs of `imeis` that have no order at all.
  Result<std::vector<std::string>> Missing(const std::vector<std::string>& imeis);
  /// Stores what the supplier says about order `id`: its status, its code
  /// (kept raw) and the fields parsed from the code.
  Status SetResult(int64_t id, OrderStatus status, std::string_view code, int64_t now_ms);

 private:
  // Runs the query for `filter` (paged or not; with listed, not-found IMEIs
  // as rows), calling `visit` per row.
  Status Select(const OrderFilter& filter, bool paged, bool listed,
                const std::function<Status(const ListedOrder&)>& visit);
  Database& db_;
};

}  // namespace imeiflow::store
