#include "store/order_import.h"

#include <fmt/format.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <utility>

#include "store/order_repository.h"
#include "store/service_repository.h"

namespace imeiflow::store {
namespace {

// An existing order a row may belong to.
struct Candidate {
  int64_t id = 0;
  int64_t placed_at = 0;
  std::string status;
  std::string code;
  bool claimed = false;  // already answers a row of this file
};

// Finds a service by title, else by id.
class ServiceNames {
 public:
  explicit ServiceNames(const std::vector<CachedService>& services) {
    for (const CachedService& s : services) {
      by_title_[s.title].push_back(s.id);
      ids_.emplace(s.id, s.id);
    }
  }

  // The service id `name` refers to, or why there is none.
  Result<std::string> Resolve(const std::string& name) const {
    if (auto t = by_title_.find(name); t != by_title_.end()) {
      if (t->second.size() == 1) return t->second.front();
      return Status::InvalidArgument(
          fmt::format("SERVICE \"{}\" is the title of services {}: write the id instead", name,
                      fmt::join(t->second, ", ")));
    }
    if (ids_.contains(name)) return name;
    return Status::NotFound(fmt::format(
        "SERVICE \"{}\" is no known service title or id (imeiflow services --refresh)", name));
  }

 private:
  std::map<std::string, std::vector<std::string>> by_title_;
  std::map<std::string, std::string> ids_;
};

bool IsFinal(std::string_view status) { return status == "completed" || status == "rejected"; }

// The index of the unclaimed candidate for a row placed at `placed_at`:
// one placed in the same second when `exact`, else the nearest in time
// (ties: the older order). Candidates are in id order.
std::optional<size_t> Pick(const std::vector<Candidate>& candidates, int64_t placed_at,
                           bool exact) {
  std::optional<size_t> best;
  int64_t best_distance = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (c.claimed) continue;
    if (exact) {
      if (c.placed_at / 1000 == placed_at / 1000) return i;
      continue;
    }
    int64_t distance = std::llabs(c.placed_at - placed_at);
    if (!best || distance < best_distance) best = i, best_distance = distance;
  }
  return best;
}

// The statements one import runs for its rows.
struct ImportStatements {
  Statement candidates;  // ?1 imei, ?2 service
  Statement insert;      // ?1 imei, ?2 service, ?3 status, ?4 price, ?5 placed, ?6 now, ?7 code
  Statement resolve;     // ?1 order, ?2 now, ?3 imei, ?4 service
  Statement audit;       // ?1 at, ?2 actor, ?3 detail
};

Result<ImportStatements> Prepare(Database& db) {
  Result<Statement> candidates = db.Prepare(
      "SELECT id, placed_at, status, coalesce(code, '') FROM orders"
      " WHERE imei = ?1 AND service_id = ?2 ORDER BY id");
  Result<Statement> insert = db.Prepare(
      "INSERT INTO orders(imei, service_id, status, price_cents, placed_at, updated_at, code)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  Result<Statement> resolve = db.Prepare(
      "UPDATE items SET state = 'accepted', order_id = ?1, updated_at = ?2,"
      " reason = 'import: the supplier''s export lists the order'"
      " WHERE state = 'accepted_unconfirmed' AND imei = ?3 AND (order_id IS NULL OR order_id = ?1)"
      " AND job_id IN (SELECT id FROM jobs WHERE service_id = ?4)");
  Result<Statement> audit = db.Prepare(
      "INSERT INTO audit(at, actor, action, detail) VALUES (?1, ?2, 'orders.import', ?3)");
  for (const auto* r : {&candidates, &insert, &resolve, &audit}) {
    if (!r->ok()) return r->status();
  }
  return ImportStatements{std::move(*candidates), std::move(*insert), std::move(*resolve),
                          std::move(*audit)};
}

Result<std::vector<Candidate>> LoadCandidates(Statement& select, const std::string& imei,
                                              const std::string& service_id) {
  select.Reset();
  select.Bind(1, imei).Bind(2, service_id);
  std::vector<Candidate> found;
  for (;;) {
    Result<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return found;
    found.push_back(Candidate{select.ColumnInt(0), select.ColumnInt(1), select.ColumnText(2),
                              select.ColumnText(3)});
  }
}

}  // namespace

Result<ImportCounts> OrderImporter::Import(const std::vector<ImportRow>& rows,
                                           const std::string& actor, const std::string& source,
                                           int64_t now_ms, std::vector<ImportError>* errors) {
  Result<std::vector<CachedService>> services = ServiceRepository(db_).List();
  if (!services.ok()) return services.status();
  ServiceNames names(*services);

  Transaction tx(db_);
  if (!tx.status().ok()) return tx.status();
  Result<ImportStatements> sql = Prepare(db_);
  if (!sql.ok()) return sql.status();

  // Rows with a known service, and the orders of each IMEI + service.
  using Key = std::pair<std::string, std::string>;
  std::map<Key, std::vector<Candidate>> orders;
  std::vector<std::optional<Key>> keys(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    Result<std::string> service_id = names.Resolve(rows[i].service);
    if (!service_id.ok()) {
      errors->push_back(ImportError{rows[i].line, service_id.status().message()});
      continue;
    }
    Key key{rows[i].imei, *service_id};
    if (!orders.contains(key)) {
      Result<std::vector<Candidate>> found = LoadCandidates(sql->candidates, key.first, key.second);
      if (!found.ok()) return found.status();
      orders.emplace(key, std::move(*found));
    }
    keys[i] = std::move(key);
  }

  // Same-second matches first, so that an order never goes to a row merely
  // near it while the row placed with it is still to come.
  std::vector<std::optional<size_t>> match(rows.size());
  for (bool exact : {true, false}) {
    for (size_t i = 0; i < rows.size(); ++i) {
      if (!keys[i] || match[i]) continue;
      std::vector<Candidate>& candidates = orders[*keys[i]];
      match[i] = Pick(candidates, rows[i].placed_at, exact);
      if (match[i]) candidates[*match[i]].claimed = true;
    }
  }

  OrderRepository order_repository(db_);
  ImportCounts counts;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!keys[i]) continue;
    const ImportRow& row = rows[i];
    const auto& [imei, service_id] = *keys[i];
    int64_t order_id = 0;
    if (match[i]) {
      const Candidate& order = orders[*keys[i]][*match[i]];
      order_id = order.id;
      bool same = order.status == row.status && order.code == row.code;
      bool older = IsFinal(order.status) && !IsFinal(row.status);
      if (same || older) {
        ++counts.unchanged;
      } else {
        Status s = order_repository.SetResult(order_id, row.status, row.code, now_ms);
        if (!s.ok()) return s;
        ++counts.updated;
      }
    } else {
      Statement& insert = sql->insert;
      insert.Reset();
      insert.Bind(1, imei)
          .Bind(2, service_id)
          .Bind(3, row.status)
          .Bind(4, row.price.cents())
          .Bind(5, row.placed_at)
          .Bind(6, now_ms)
          .Bind(7, row.code);
      if (Status s = insert.Run(); !s.ok()) return s;
      order_id = db_.LastInsertId();
      if (Status s = order_repository.SetResult(order_id, row.status, row.code, now_ms); !s.ok()) {
        return s;
      }
      ++counts.inserted;
    }
    // "Unconfirmed" is imeiflow's own word (a re-imported export of ours),
    // not the supplier's: it proves nothing about an item.
    if (row.status == "unconfirmed") continue;
    Statement& resolve = sql->resolve;
    resolve.Reset();
    resolve.Bind(1, order_id).Bind(2, now_ms).Bind(3, imei).Bind(4, service_id);
    if (Status s = resolve.Run(); !s.ok()) return s;
    counts.resolved_items += db_.Changes();
  }

  if (counts.inserted + counts.updated + counts.resolved_items > 0) {
    Statement& audit = sql->audit;
    audit.Bind(1, now_ms).Bind(2, actor).Bind(
        3, fmt::format("{}: {} inserted, {} updated, {} unchanged, {} items resolved, "
                       "{} rows with errors",
                       source, counts.inserted, counts.updated, counts.unchanged,
                       counts.resolved_items, errors->size()));
    if (Status s = audit.Run(); !s.ok()) return s;
  }
  if (Status s = tx.Commit(); !s.ok()) return s;
  return counts;
}

}  // namespace imeiflow::store
