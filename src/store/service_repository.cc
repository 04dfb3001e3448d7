#include "store/service_repository.h"

#include <fmt/format.h>

#include "store/audit_log.h"

namespace imeiflow::store {
namespace {

constexpr const char* kColumns =
    "id, category, title, price_cents, delivery, must_read, fetched_at";

CachedService ReadService(const Statement& row) {
  CachedService s;
  s.id = row.ColumnText(0);
  s.category = row.ColumnText(1);
  s.title = row.ColumnText(2);
  s.price = Money::FromCents(row.ColumnInt(3));
  s.delivery = row.ColumnText(4);
  s.must_read = row.ColumnText(5);
  s.fetched_at = row.ColumnInt(6);
  return s;
}

}  // namespace

Status ServiceRepository::ReplaceAll(const std::vector<CachedService>& services, int64_t now_ms,
                                     const std::optional<ServicesAudit>& audit) {
  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  if (Status s = db_.Exec("DELETE FROM services"); !s.ok()) return s;
  Result<Statement> insert = db_.Prepare(
      fmt::format("INSERT INTO services({}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", kColumns));
  if (!insert.ok()) return insert.status();
  for (const CachedService& s : services) {
    insert->Reset();
    insert->Bind(1, s.id)
        .Bind(2, s.category)
        .Bind(3, s.title)
        .Bind(4, s.price.cents())
        .Bind(5, s.delivery)
        .Bind(6, s.must_read)
        .Bind(7, now_ms);
    if (Status st = insert->Run(); !st.ok()) {
      return Status(st.code(), fmt::format("service {}: {}", s.id, st.message()));
    }
  }
  if (audit) {
    Status s = AuditLog(db_).Append(now_ms, audit->actor, "services_refresh", audit->detail);
    if (!s.ok()) return s;
  }
  return tx.Commit();
}

Result<std::vector<CachedService>> ServiceRepository::List() {
  Result<Statement> rows =
      db_.Prepare(fmt::format("SELECT {} FROM services ORDER BY category, title, id", kColumns));
  if (!rows.ok()) return rows.status();
  std::vector<CachedService> services;
  for (;;) {
    Result<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return services;
    services.push_back(ReadService(*rows));
  }
}

Result<CachedService> ServiceRepository::Find(const std::string& id) {
  Result<Statement> row =
      db_.Prepare(fmt::format("SELECT {} FROM services WHERE id = ?1", kColumns));
  if (!row.ok()) return row.status();
  row->Bind(1, id);
  Result<bool> found = row->Step();
  if (!found.ok()) return found.status();
  if (!*found) {
    return Status::NotFound(fmt::format(
        "service {} is not in the cached catalogue (run `imeiflow services --refresh`)", id));
  }
  return ReadService(*row);
}

Result<std::map<std::string, std::string>> ServiceRepository::Titles() {
  Result<std::vector<CachedService>> services = List();
  if (!services.ok()) return services.status();
  std::map<std::string, std::string> titles;
  for (const CachedService& s : *services) titles[s.id] = s.title;
  return titles;
}

}  // namespace imeiflow::store
