#include "store/order_repository.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace imeiflow::store {
namespace {

// The IMEI list travels as one JSON array parameter, read with json_each, so
// 50,000 pasted IMEIs need neither 50,000 parameters nor a temporary table.
std::string JsonArray(const std::vector<std::string>& values) {
  return nlohmann::json(values).dump();
}

// "model, code_imei, imei2, ..." in ResultFieldColumns order.
std::string FieldColumnList() {
  std::string list;
  for (const ResultFieldColumn& c : ResultFieldColumns()) {
    if (!list.empty()) list += ", ";
    list += OrderFieldColumn(c.name);
  }
  return list;
}

// The query for `f`, holding only the conditions `f` sets, so that SQLite
// picks an index for each shape of search (a condition such as
// "?1 IS NULL OR imei IN ..." would hide the IMEI index from the planner).
// Parameters: ?1 IMEIs (JSON array), ?2 status, ?3 service, ?4 job, ?5 since,
// ?6 until, ?7 limit, ?8 offset, ?9 order id. With IMEIs, the list drives the search: each
// listed IMEI is looked up in orders_by_imei (CROSS JOIN fixes that loop
// order) and only the orders found are sorted; without them the scan walks
// orders_by_placed backwards, already newest first.
std::string SelectSql(const OrderFilter& f, bool paged) {
  std::string from = "orders";
  if (!f.imeis.empty()) {
    from =
        "(SELECT DISTINCT value AS wanted FROM json_each(?1)) CROSS JOIN orders"
        " ON orders.imei = wanted";
  }
  std::vector<std::string_view> where;
  if (f.status) where.push_back("status = ?2");
  if (f.service_id) where.push_back("service_id = ?3");
  if (f.job_id) where.push_back("job_id = ?4");
  if (f.since_ms) where.push_back("placed_at >= ?5");
  if (f.until_ms) where.push_back("placed_at < ?6");
  if (f.order_id) where.push_back("orders.id = ?9");
  return fmt::format(
      "SELECT orders.id, coalesce(upstream_id, ''), imei, service_id, status, price_cents,"
      " job_id, placed_at, coalesce(code, ''), stale_at, {} FROM {}{}{}"
      " ORDER BY placed_at DESC, orders.id DESC{}",
      FieldColumnList(), from, where.empty() ? "" : " WHERE ", fmt::join(where, " AND "),
      paged ? " LIMIT ?7 OFFSET ?8" : "");
}

}  // namespace

std::string_view OrderFieldColumn(std::string_view name) {
  return name == "imei" ? "code_imei" : name;
}

Result<std::vector<OrderRecord>> OrderRepository::Find(const OrderFilter& f) {
  std::vector<OrderRecord> orders;
  Status s = Select(f, true, [&](const OrderRecord& o) {
    orders.push_back(o);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return orders;
}

Status OrderRepository::ForEach(const OrderFilter& f,
                                const std::function<Status(const OrderRecord&)>& visit) {
  return Select(f, false, visit);
}

Status OrderRepository::Select(const OrderFilter& f, bool paged,
                               const std::function<Status(const OrderRecord&)>& visit) {
  Result<Statement> rows = db_.Prepare(SelectSql(f, paged));
  if (!rows.ok()) return rows.status();
  // Numbered as in SelectSql; only the parameters the query holds are bound.
  if (!f.imeis.empty()) rows->Bind(1, JsonArray(f.imeis));
  if (f.status) rows->Bind(2, *f.status);
  if (f.service_id) rows->Bind(3, *f.service_id);
  if (f.job_id) rows->Bind(4, *f.job_id);
  if (f.since_ms) rows->Bind(5, *f.since_ms);
  if (f.until_ms) rows->Bind(6, *f.until_ms);
  if (paged) rows->Bind(7, f.limit).Bind(8, f.offset);
  if (f.order_id) rows->Bind(9, *f.order_id);
  OrderRecord o;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    o.id = rows->ColumnInt(0);
    o.upstream_id = rows->ColumnText(1);
    o.imei = rows->ColumnText(2);
    o.service_id = rows->ColumnText(3);
    o.status = rows->ColumnText(4);
    o.price = Money::FromCents(rows->ColumnInt(5));
    o.job_id = rows->ColumnIsNull(6) ? std::nullopt : std::optional<int64_t>(rows->ColumnInt(6));
    o.placed_at = rows->ColumnInt(7);
    o.code = rows->ColumnText(8);
    o.stale_at = rows->ColumnIsNull(9) ? std::nullopt : std::optional<int64_t>(rows->ColumnInt(9));
    int column = 10;
    for (const ResultFieldColumn& c : ResultFieldColumns()) {
      o.fields.*c.member = rows->ColumnText(column++);
    }
    if (Status s = visit(o); !s.ok()) return s;
  }
}

Result<std::optional<OrderRecord>> OrderRepository::FindById(int64_t id) {
  OrderFilter filter;
  filter.order_id = id;
  filter.limit = 1;
  Result<std::vector<OrderRecord>> found = Find(filter);
  if (!found.ok()) return found.status();
  if (found->empty()) return std::optional<OrderRecord>();
  return std::optional<OrderRecord>(std::move(found->front()));
}

Result<std::vector<std::string>> OrderRepository::Missing(const std::vector<std::string>& imeis) {
  Result<Statement> rows = db_.Prepare(
      "SELECT value FROM json_each(?1) WHERE value NOT IN (SELECT imei FROM orders)"
      " ORDER BY key");
  if (!rows.ok()) return rows.status();
  rows->Bind(1, JsonArray(imeis));
  std::vector<std::string> missing;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return missing;
    missing.push_back(rows->ColumnText(0));
  }
}

Status OrderRepository::SetResult(int64_t id, std::string_view status, std::string_view code,
                                  int64_t now_ms) {
  static const std::string kSql = [] {
    std::string sets;
    int param = 4;
    for (const ResultFieldColumn& c : ResultFieldColumns()) {
      sets += fmt::format(", {} = ?{}", OrderFieldColumn(c.name), param++);
    }
    return fmt::format("UPDATE orders SET status = ?2, code = ?3, updated_at = ?{}{} WHERE id = ?1",
                       param, sets);
  }();
  Result<Statement> update = db_.Prepare(kSql);
  if (!update.ok()) return update.status();
  ParsedResultCode parsed = ParseResultCode(code);
  update->Bind(1, id).Bind(2, status).Bind(3, code);
  int param = 4;
  for (const ResultFieldColumn& c : ResultFieldColumns()) {
    update->Bind(param++, parsed.fields.*c.member);
  }
  update->Bind(param, now_ms);
  Result<bool> done = update->Step();
  return done.ok() ? Status::Ok() : done.status();
}

}  // namespace imeiflow::store
