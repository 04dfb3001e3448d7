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

}  // namespace

std::string_view OrderFieldColumn(std::string_view name) {
  return name == "imei" ? "code_imei" : name;
}

Result<std::vector<OrderRecord>> OrderRepository::Find(const OrderFilter& f) {
  static const std::string kSql = fmt::format(
      "SELECT id, coalesce(upstream_id, ''), imei, service_id, status, price_cents, job_id,"
      " placed_at, coalesce(code, ''), stale_at, {} FROM orders"
      " WHERE (?1 IS NULL OR imei IN (SELECT value FROM json_each(?1)))"
      " AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR service_id = ?3)"
      " AND (?4 IS NULL OR job_id = ?4) AND (?5 IS NULL OR placed_at >= ?5)"
      " ORDER BY placed_at DESC, id DESC LIMIT ?6 OFFSET ?7",
      FieldColumnList());
  Result<Statement> rows = db_.Prepare(kSql);
  if (!rows.ok()) return rows.status();
  if (f.imeis.empty()) {
    rows->BindNull(1);
  } else {
    rows->Bind(1, JsonArray(f.imeis));
  }
  if (f.status)
    rows->Bind(2, *f.status);
  else
    rows->BindNull(2);
  if (f.service_id)
    rows->Bind(3, *f.service_id);
  else
    rows->BindNull(3);
  rows->Bind(4, f.job_id).Bind(5, f.since_ms).Bind(6, f.limit).Bind(7, f.offset);
  std::vector<OrderRecord> orders;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return orders;
    OrderRecord o;
    o.id = rows->ColumnInt(0);
    o.upstream_id = rows->ColumnText(1);
    o.imei = rows->ColumnText(2);
    o.service_id = rows->ColumnText(3);
    o.status = rows->ColumnText(4);
    o.price = Money::FromCents(rows->ColumnInt(5));
    if (!rows->ColumnIsNull(6)) o.job_id = rows->ColumnInt(6);
    o.placed_at = rows->ColumnInt(7);
    o.code = rows->ColumnText(8);
    if (!rows->ColumnIsNull(9)) o.stale_at = rows->ColumnInt(9);
    int column = 10;
    for (const ResultFieldColumn& c : ResultFieldColumns()) {
      o.fields.*c.member = rows->ColumnText(column++);
    }
    orders.push_back(std::move(o));
  }
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
