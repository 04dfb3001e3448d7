#include "store/job_figures.h"

#include <fmt/format.h>

#include <functional>
#include <utility>

#include "store/order_repository.h"

namespace imeiflow::store {
namespace {

// How many of job `job_id`'s orders `refine` selects, counted by the same
// filter the orders page applies to the figure's link, so the two agree.
Result<int64_t> CountOrders(Database& db, int64_t job_id,
                            const std::function<void(OrderFilter&)>& refine) {
  OrderFilter filter;
  filter.job_id = job_id;
  refine(filter);
  return OrderRepository(db).Count(filter);
}

}  // namespace

std::string_view JobStateWord(std::string_view state) {
  if (state == "queued") return "waiting to start";
  if (state == "running") return "sending";
  if (state == "review") return "needs review";
  if (state == "done") return "finished";
  return state;  // "paused", "cancelled" are the shop's words already
}

bool JobResultSummary::Any() const {
  return fmi_on + fmi_off + locked + unlocked + blacklisted + clean > 0 || !top_carriers.empty();
}

Result<JobResultSummary> ReadJobResultSummary(Database& db, int64_t job_id, int carriers) {
  JobResultSummary summary;
  const std::pair<int64_t*, std::function<void(OrderFilter&)>> figures[] = {
      {&summary.fmi_on, [](OrderFilter& f) { f.fmi = FmiFilter::kOn; }},
      {&summary.fmi_off, [](OrderFilter& f) { f.fmi = FmiFilter::kOff; }},
      {&summary.locked, [](OrderFilter& f) { f.simlock = SimlockFilter::kLocked; }},
      {&summary.unlocked, [](OrderFilter& f) { f.simlock = SimlockFilter::kUnlocked; }},
      {&summary.blacklisted, [](OrderFilter& f) { f.blacklisted = true; }},
      {&summary.clean, [](OrderFilter& f) { f.blacklisted = false; }},
  };
  for (const auto& [figure, refine] : figures) {
    Result<int64_t> n = CountOrders(db, job_id, refine);
    if (!n.ok()) return n.status();
    *figure = *n;
  }

  Result<Statement> top = db.Prepare(
      "SELECT carrier, count(*) AS n FROM orders"
      " WHERE job_id = ?1 AND status = 'completed' AND carrier <> ''"
      " GROUP BY carrier ORDER BY n DESC, carrier LIMIT ?2");
  if (!top.ok()) return top.status();
  top->Bind(1, job_id).Bind(2, int64_t{carriers});
  for (;;) {
    Result<bool> more = top->Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    summary.top_carriers.emplace_back(top->ColumnText(0), top->ColumnInt(1));
  }
  // A carrier's link filters by text held ("Unlocked" also finds "Unlocked
  // (Multi-Carrier)"): its figure is what the link shows.
  for (auto& [carrier, n] : summary.top_carriers) {
    Result<int64_t> linked =
        CountOrders(db, job_id, [&carrier](OrderFilter& f) { f.carrier = carrier; });
    if (!linked.ok()) return linked.status();
    n = *linked;
  }
  return summary;
}

Result<std::vector<ItemResult>> ReadItemResults(Database& db, int64_t job_id, int64_t offset,
                                                int64_t limit) {
  Result<Statement> rows = db.Prepare(
      "SELECT i.id, i.line, i.input, i.imei, i.state, i.reason, i.attempts, i.order_id,"
      " coalesce(o.status, ''), coalesce(o.carrier, ''), coalesce(o.simlock, ''),"
      " coalesce(o.fmi, ''), coalesce(o.gsma_status, ''), coalesce(o.code, '')"
      " FROM items i LEFT JOIN orders o ON o.id = i.order_id"
      " WHERE i.job_id = ?1 ORDER BY i.line, i.id LIMIT ?2 OFFSET ?3");
  if (!rows.ok()) return rows.status();
  rows->Bind(1, job_id).Bind(2, limit).Bind(3, offset);
  std::vector<ItemResult> items;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    ItemResult r;
    r.item.id = rows->ColumnInt(0);
    r.item.job_id = job_id;
    r.item.line = static_cast<int>(rows->ColumnInt(1));
    r.item.input = rows->ColumnText(2);
    r.item.imei = rows->ColumnText(3);
    std::optional<ItemState> state = ParseItemState(rows->ColumnText(4));
    if (!state) return Status::Corrupt("database: unknown item state " + rows->ColumnText(4));
    r.item.state = *state;
    r.item.reason = rows->ColumnText(5);
    r.item.attempts = static_cast<int>(rows->ColumnInt(6));
    if (!rows->ColumnIsNull(7)) r.item.order_id = rows->ColumnInt(7);
    r.order_status = rows->ColumnText(8);
    r.carrier = rows->ColumnText(9);
    r.simlock = rows->ColumnText(10);
    r.fmi = rows->ColumnText(11);
    r.gsma_status = rows->ColumnText(12);
    r.code = rows->ColumnText(13);
    items.push_back(std::move(r));
  }
  return items;
}

}  // namespace imeiflow::store
