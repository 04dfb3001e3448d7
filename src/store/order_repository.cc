#include "store/order_repository.h"

#include <fmt/format.h>

#include <cctype>
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

// A parsed column as lower-case words between spaces, so that LIKE '% on %'
// finds the word "on" in "ON", "FMI: ON" or "On (Lost Mode)".
std::string Words(std::string_view column) {
  return fmt::format(
      "(' ' || replace(replace(replace(lower({}), ':', ' '), '(', ' '), ')', ' ') || ' ')",
      column);
}

// The conditions `f` sets on the orders table (see the header for how the
// result filters read the supplier's text).
std::vector<std::string> Conditions(const OrderFilter& f) {
  std::vector<std::string> where;
  if (f.status) where.push_back("status = ?2");
  if (f.service_id) where.push_back("service_id = ?3");
  if (f.job_id) where.push_back("job_id = ?4");
  if (f.since_ms) where.push_back("placed_at >= ?5");
  if (f.until_ms) where.push_back("placed_at < ?6");
  if (f.order_id) where.push_back("orders.id = ?9");
  if (f.fmi) {
    where.push_back(fmt::format("{} LIKE '{}'", Words("fmi"),
                                *f.fmi == FmiFilter::kOn ? "% on %" : "% off %"));
  }
  if (f.simlock == SimlockFilter::kUnlocked) where.push_back("lower(simlock) LIKE '%unlocked%'");
  if (f.simlock == SimlockFilter::kLocked) {
    where.push_back("(lower(simlock) LIKE '%locked%' AND lower(simlock) NOT LIKE '%unlocked%')");
  }
  if (f.blacklisted == true) {
    where.push_back(
        "((lower(gsma_status) LIKE '%blacklist%' AND lower(gsma_status) NOT LIKE "
        "'%not blacklist%') OR lower(gsma_status) LIKE '%lost%' OR lower(gsma_status) LIKE "
        "'%stolen%' OR lower(gsma_status) LIKE '%barred%')");
  }
  if (f.blacklisted == false) {
    where.push_back(
        "(lower(gsma_status) LIKE '%clean%' OR lower(gsma_status) LIKE '%not blacklist%')");
  }
  if (f.carrier) where.push_back("instr(lower(carrier), lower(?10)) > 0");
  if (f.code) where.push_back("instr(lower(code), lower(?11)) > 0");
  return where;
}

// The tables of the query for `f`. With IMEIs, the list drives the search:
// each listed IMEI (numbered by its first place in the list) is looked up in
// orders_by_imei; `listed` keeps the IMEIs without a matching order as rows
// (a LEFT JOIN holding the conditions), otherwise only matches remain.
std::string FromSql(const OrderFilter& f, bool listed, const std::vector<std::string>& where) {
  const std::string conditions =
      where.empty() ? "" : fmt::format("{}", fmt::join(where, " AND "));
  if (f.imeis.empty()) {
    return where.empty() ? "orders" : "orders WHERE " + conditions;
  }
  const std::string list =
      "(SELECT value AS wanted, min(key) AS pos FROM json_each(?1) GROUP BY value) AS listed";
  if (listed) {
    return fmt::format("{} LEFT JOIN orders ON orders.imei = listed.wanted{}{}", list,
                       where.empty() ? "" : " AND ", conditions);
  }
  return fmt::format("{} CROSS JOIN orders ON orders.imei = listed.wanted{}{}", list,
                     where.empty() ? "" : " WHERE ", conditions);
}

// Binds the parameters of `f` that the query holds (numbered as in OrderSelectSql).
void BindFilter(Statement& rows, const OrderFilter& f) {
  if (!f.imeis.empty()) rows.Bind(1, JsonArray(f.imeis));
  if (f.status) rows.Bind(2, OrderStatusName(*f.status));
  if (f.service_id) rows.Bind(3, *f.service_id);
  if (f.job_id) rows.Bind(4, *f.job_id);
  if (f.since_ms) rows.Bind(5, *f.since_ms);
  if (f.until_ms) rows.Bind(6, *f.until_ms);
  if (f.order_id) rows.Bind(9, *f.order_id);
  if (f.carrier) rows.Bind(10, *f.carrier);
  if (f.code) rows.Bind(11, *f.code);
}

}  // namespace

// The query for `f`, holding only the conditions `f` sets, so that SQLite
// picks an index for each shape of search (a condition such as
// "?1 IS NULL OR imei IN ..." would hide the IMEI index from the planner).
// Parameters: ?1 IMEIs (JSON array), ?2 status, ?3 service, ?4 job, ?5 since,
// ?6 until, ?7 limit, ?8 offset, ?9 order id, ?10 carrier, ?11 code. Without
// IMEIs the scan walks orders_by_placed backwards, already newest first.
std::string OrderSelectSql(const OrderFilter& f, bool paged, bool listed) {
  std::string order_by = "placed_at DESC, orders.id DESC";
  if (!f.imeis.empty()) order_by = "listed.pos, " + order_by;
  return fmt::format(
      "SELECT orders.id, coalesce(upstream_id, ''), {}, service_id, status, price_cents,"
      " job_id, placed_at, coalesce(code, ''), stale_at, {} FROM {} ORDER BY {}{}",
      f.imeis.empty() ? "imei" : "listed.wanted", FieldColumnList(),
      FromSql(f, listed, Conditions(f)), order_by, paged ? " LIMIT ?7 OFFSET ?8" : "");
}

std::string OrderCountSql(const OrderFilter& f, bool listed) {
  return fmt::format("SELECT count(*) FROM {}", FromSql(f, listed, Conditions(f)));
}

std::string_view OrderFieldColumn(std::string_view name) {
  return name == "imei" ? "code_imei" : name;
}

bool IsKnownFromExportOnly(const OrderRecord& order) {
  return OrderStateWord(order.status, !order.upstream_id.empty()) == kKnownFromExportWord;
}

std::string_view OrderStateText(const OrderRecord& order) {
  return OrderStateWord(order.status, !order.upstream_id.empty());
}

namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

Status NotOneOf(std::string_view value, std::string_view allowed) {
  return Status::InvalidArgument(fmt::format("\"{}\" is not one of: {}", value, allowed));
}

}  // namespace

Status SetResultFilter(std::string_view name, std::string_view value, OrderFilter& filter) {
  const std::string word = Lower(value);
  if (name == "fmi") {
    if (word != "on" && word != "off") return NotOneOf(value, "on, off");
    filter.fmi = word == "on" ? FmiFilter::kOn : FmiFilter::kOff;
  } else if (name == "simlock") {
    if (word != "locked" && word != "unlocked") return NotOneOf(value, "locked, unlocked");
    filter.simlock = word == "locked" ? SimlockFilter::kLocked : SimlockFilter::kUnlocked;
  } else if (name == "blacklisted") {
    if (word != "yes" && word != "no") return NotOneOf(value, "yes, no");
    filter.blacklisted = word == "yes";
  } else if (name == "carrier") {
    filter.carrier = std::string(value);
  } else if (name == "code") {
    filter.code = std::string(value);
  } else {
    return Status::InvalidArgument(fmt::format("\"{}\" is not a result filter", name));
  }
  return Status::Ok();
}

Result<std::vector<OrderRecord>> OrderRepository::Find(const OrderFilter& f) {
  std::vector<OrderRecord> orders;
  Status s = Select(f, true, false, [&](const ListedOrder& row) {
    orders.push_back(*row.order);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return orders;
}

Status OrderRepository::ForEach(const OrderFilter& f,
                                const std::function<Status(const OrderRecord&)>& visit) {
  return Select(f, false, false, [&](const ListedOrder& row) { return visit(*row.order); });
}

Result<std::vector<ListedOrder>> OrderRepository::FindListed(const OrderFilter& f) {
  std::vector<ListedOrder> rows;
  Status s = Select(f, true, true, [&](const ListedOrder& row) {
    rows.push_back(row);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return rows;
}

Status OrderRepository::ForEachListed(const OrderFilter& f,
                                      const std::function<Status(const ListedOrder&)>& visit) {
  return Select(f, false, true, visit);
}

Result<int64_t> OrderRepository::Count(const OrderFilter& f, bool listed) {
  listed = listed && !f.imeis.empty();
  Result<Statement> count = db_.Prepare(OrderCountSql(f, listed));
  if (!count.ok()) return count.status();
  BindFilter(*count, f);
  Result<bool> row = count->Step();
  if (!row.ok()) return row.status();
  return count->ColumnInt(0);
}

Status OrderRepository::Select(const OrderFilter& f, bool paged, bool listed,
                               const std::function<Status(const ListedOrder&)>& visit) {
  listed = listed && !f.imeis.empty();
  Result<Statement> rows = db_.Prepare(OrderSelectSql(f, paged, listed));
  if (!rows.ok()) return rows.status();
  BindFilter(*rows, f);
  if (paged) rows->Bind(7, f.limit).Bind(8, f.offset);
  ListedOrder row;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
    row.imei = rows->ColumnText(2);
    if (rows->ColumnIsNull(0)) {  // a listed IMEI without a matching order
      row.order.reset();
      if (Status s = visit(row); !s.ok()) return s;
      continue;
    }
    OrderRecord& o = row.order.emplace();
    o.id = rows->ColumnInt(0);
    std::string status = rows->ColumnText(4);
    std::optional<OrderStatus> parsed = ParseOrderStatus(status);
    if (!parsed) {
      return Status::Corrupt(
          fmt::format("order {} has the unknown status \"{}\" in the database", o.id, status));
    }
    o.status = *parsed;
    o.upstream_id = rows->ColumnText(1);
    o.imei = row.imei;
    o.service_id = rows->ColumnText(3);
    o.price = Money::FromCents(rows->ColumnInt(5));
    o.job_id = rows->ColumnIsNull(6) ? std::nullopt : std::optional<int64_t>(rows->ColumnInt(6));
    o.placed_at = rows->ColumnInt(7);
    o.code = rows->ColumnText(8);
    o.stale_at = rows->ColumnIsNull(9) ? std::nullopt : std::optional<int64_t>(rows->ColumnInt(9));
    int column = 10;
    for (const ResultFieldColumn& c : ResultFieldColumns()) {
      o.fields.*c.member = rows->ColumnText(column++);
    }
    if (Status s = visit(row); !s.ok()) return s;
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
      "SELECT value FROM json_each(?1) AS listed"
      " WHERE NOT EXISTS (SELECT 1 FROM orders WHERE orders.imei = listed.value) ORDER BY key");
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

Status OrderRepository::SetResult(int64_t id, OrderStatus status, std::string_view code,
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
  update->Bind(1, id).Bind(2, OrderStatusName(status)).Bind(3, code);
  int param = 4;
  for (const ResultFieldColumn& c : ResultFieldColumns()) {
    update->Bind(param++, parsed.fields.*c.member);
  }
  update->Bind(param, now_ms);
  Result<bool> done = update->Step();
  return done.ok() ? Status::Ok() : done.status();
}

std::string RejectionReason(const OrderRecord& order) {
  return order.status == OrderStatus::kRejected ? order.code : "";
}

}  // namespace imeiflow::store
