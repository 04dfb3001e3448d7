#include "store/reconciliation.h"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>
#include <utility>

#include "store/order_import.h"
#include "store/service_repository.h"

namespace imeiflow::store {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// What a row turned out to be.
struct RowKind {
  ReconcileGroup Reconciliation::*group = nullptr;  // nullptr: the service is unknown
  std::optional<int64_t> order_id;
  std::optional<int64_t> item_id;
};

// The ids (and, with `times`, the placed_at) of the rows `select` yields
// for one IMEI + service.
Result<std::vector<int64_t>> Ids(Statement& select, const std::string& imei,
                                 const std::string& service_id,
                                 std::vector<int64_t>* times = nullptr) {
  select.Reset();
  select.Bind(1, imei).Bind(2, service_id);
  std::vector<int64_t> ids;
  for (;;) {
    Result<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return ids;
    ids.push_back(select.ColumnInt(0));
    if (times) times->push_back(select.ColumnInt(1));
  }
}

// Classifies the rows of one IMEI + service (`group`); the orders they match
// go into `matched`.
Status ClassifyGroup(const std::vector<ImportRow>& rows, std::span<const size_t> group,
                     const std::string& service_id, Statement& orders, Statement& waiting,
                     std::vector<RowKind>* kinds, std::set<int64_t>* matched) {
  const std::string& imei = rows[group.front()].imei;
  std::vector<int64_t> order_times;
  Result<std::vector<int64_t>> order_ids = Ids(orders, imei, service_id, &order_times);
  if (!order_ids.ok()) return order_ids.status();
  std::vector<int64_t> row_times;
  for (size_t i : group) row_times.push_back(rows[i].placed_at);
  std::vector<std::optional<size_t>> match = MatchByTime(row_times, order_times);

  std::optional<std::vector<int64_t>> items;  // awaiting review, loaded when needed
  size_t next_item = 0;
  for (size_t g = 0; g < group.size(); ++g) {
    RowKind& kind = (*kinds)[group[g]];
    if (match[g]) {
      kind.group = &Reconciliation::known;
      kind.order_id = (*order_ids)[*match[g]];
      matched->insert(*kind.order_id);
      continue;
    }
    if (!items) {
      Result<std::vector<int64_t>> ids = Ids(waiting, imei, service_id);
      if (!ids.ok()) return ids.status();
      items = std::move(*ids);
    }
    if (next_item < items->size()) {
      kind.group = &Reconciliation::needs_review;
      kind.item_id = (*items)[next_item++];
    } else {
      kind.group = &Reconciliation::unknown;
    }
  }
  return Status::Ok();
}

// Adds the orders placed by imeiflow in [from, until) that no row matched.
Status AddMissing(Database& db, const std::set<int64_t>& matched, Reconciliation* out) {
  Result<Statement> select = db.Prepare(
      "SELECT id, imei, service_id, placed_at, price_cents FROM orders"
      " WHERE placed_at >= ?1 AND placed_at < ?2 AND job_id IS NOT NULL ORDER BY placed_at, id");
  if (!select.ok()) return select.status();
  select->Bind(1, out->from_ms).Bind(2, out->until_ms);
  for (;;) {
    Result<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    int64_t id = select->ColumnInt(0);
    if (matched.contains(id)) continue;
    ReconcileLine line;
    line.order_id = id;
    line.imei = select->ColumnText(1);
    line.service_id = select->ColumnText(2);
    line.placed_at = select->ColumnInt(3);
    line.price = Money::FromCents(select->ColumnInt(4));
    out->missing.Add(std::move(line));
  }
}

}  // namespace

void ReconcileGroup::Add(ReconcileLine line) {
  total += line.price;
  lines.push_back(std::move(line));
}

bool Reconciliation::Agree() const {
  return needs_review.lines.empty() && unknown.lines.empty() && missing.lines.empty();
}

Result<Reconciliation> Reconcile(Database& db, const std::vector<ImportRow>& rows,
                                 std::vector<ImportError>* errors) {
  Result<std::vector<CachedService>> services = ServiceRepository(db).List();
  if (!services.ok()) return services.status();
  ServiceNames names(*services);
  Result<Statement> orders = db.Prepare(
      "SELECT id, placed_at FROM orders WHERE imei = ?1 AND service_id = ?2 ORDER BY id");
  Result<Statement> waiting = db.Prepare(
      "SELECT items.id FROM items JOIN jobs ON jobs.id = items.job_id WHERE items.imei = ?1"
      " AND jobs.service_id = ?2 AND items.state = 'uncertain' AND items.order_id IS NULL"
      " ORDER BY items.id");
  if (!orders.ok()) return orders.status();
  if (!waiting.ok()) return waiting.status();

  std::vector<std::string> service_ids(rows.size());
  std::vector<size_t> known_service;
  int64_t first = std::numeric_limits<int64_t>::max();
  int64_t last = std::numeric_limits<int64_t>::min();
  for (size_t i = 0; i < rows.size(); ++i) {
    Result<std::string> id = names.Resolve(rows[i].service);
    if (!id.ok()) {
      errors->push_back(ImportError{rows[i].line, id.status().message()});
      continue;
    }
    service_ids[i] = std::move(*id);
    known_service.push_back(i);
    first = std::min(first, rows[i].placed_at);
    last = std::max(last, rows[i].placed_at);
  }
  auto key = [&](size_t i) { return std::tie(rows[i].imei, service_ids[i]); };
  std::stable_sort(known_service.begin(), known_service.end(),
                   [&](size_t a, size_t b) { return key(a) < key(b); });

  std::vector<RowKind> kinds(rows.size());
  std::set<int64_t> matched;
  for (size_t begin = 0; begin < known_service.size();) {
    size_t end = begin + 1;
    while (end < known_service.size() && key(known_service[end]) == key(known_service[begin])) {
      ++end;
    }
    std::span<const size_t> group =
        std::span<const size_t>(known_service).subspan(begin, end - begin);
    if (Status s = ClassifyGroup(rows, group, service_ids[group.front()], *orders, *waiting, &kinds,
                                 &matched);
        !s.ok()) {
      return s;
    }
    begin = end;
  }

  Reconciliation out;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!kinds[i].group) continue;
    const ImportRow& row = rows[i];
    (out.*kinds[i].group)
        .Add(ReconcileLine{row.imei, service_ids[i], row.placed_at, row.price, row.line,
                           kinds[i].order_id, kinds[i].item_id});
  }
  if (known_service.empty()) return out;
  out.from_ms = first - first % kDayMs;
  out.until_ms = last - last % kDayMs + kDayMs;
  if (Status s = AddMissing(db, matched, &out); !s.ok()) return s;
  return out;
}

}  // namespace imeiflow::store
