#include "store/migrations.h"

#include <fmt/format.h>

#include <array>

#include "store/database.h"

namespace imeiflow::store {
namespace {

// Version 1: the exactly-once core (design.md, "Exactly-once submission").
// Times are Unix milliseconds; money is integer cents.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE services (
  id          TEXT PRIMARY KEY,
  category    TEXT NOT NULL DEFAULT '',
  title       TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  delivery    TEXT NOT NULL DEFAULT '',
  must_read   TEXT NOT NULL DEFAULT '',
  fetched_at  INTEGER NOT NULL
);

CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  service_id   TEXT NOT NULL,
  price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
  batch_size   INTEGER NOT NULL DEFAULT 1 CHECK (batch_size >= 1),
  recheck      INTEGER NOT NULL DEFAULT 0,
  source       TEXT NOT NULL DEFAULT '',
  created_by   TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  cancelled_at INTEGER
);

-- One supplier call. It is written (outcome NULL) in the same transaction
-- that moves its items to in_flight, before any byte is sent; a call whose
-- outcome is still NULL at start-up may have been applied.
CREATE TABLE calls (
  id          INTEGER PRIMARY KEY,
  service_id  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  finished_at INTEGER,
  outcome     TEXT CHECK (outcome IN ('applied', 'not_applied', 'unknown', 'fatal')),
  http_status INTEGER,
  latency_ms  INTEGER,
  error       TEXT
);

CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  upstream_id TEXT UNIQUE,
  imei        TEXT NOT NULL,
  service_id  TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN
                ('pending', 'in_process', 'completed', 'rejected', 'unconfirmed')),
  price_cents INTEGER NOT NULL,
  job_id      INTEGER REFERENCES jobs(id),
  placed_at   INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  code        TEXT
);
CREATE INDEX orders_by_imei ON orders(imei, service_id);

CREATE TABLE items (
  id         INTEGER PRIMARY KEY,
  job_id     INTEGER NOT NULL REFERENCES jobs(id),
  line       INTEGER NOT NULL,
  input      TEXT NOT NULL,
  imei       TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN
               ('invalid', 'skipped_duplicate', 'queued', 'in_flight', 'accepted',
                'duplicate', 'rejected', 'uncertain', 'accepted_unconfirmed',
                'failed', 'cancelled')),
  reason     TEXT NOT NULL DEFAULT '',
  attempts   INTEGER NOT NULL DEFAULT 0,
  not_before INTEGER NOT NULL DEFAULT 0,
  -- 1 when an earlier call with this item may have been applied: a
  -- "duplicate" answer then means that earlier call landed.
  after_uncertain INTEGER NOT NULL DEFAULT 0,
  -- 1 when a batch answer left this item out: it goes out alone.
  alone      INTEGER NOT NULL DEFAULT 0,
  call_id    INTEGER REFERENCES calls(id),
  order_id   INTEGER REFERENCES orders(id),
  updated_at INTEGER NOT NULL
);
CREATE INDEX items_by_state ON items(state, job_id, id);
CREATE INDEX items_by_job ON items(job_id, state);

-- Every call an item was part of, for the audit trail.
CREATE TABLE call_items (
  call_id INTEGER NOT NULL REFERENCES calls(id),
  item_id INTEGER NOT NULL REFERENCES items(id),
  PRIMARY KEY (call_id, item_id)
) WITHOUT ROWID;

CREATE TABLE spending (
  day   TEXT PRIMARY KEY,
  cents INTEGER NOT NULL DEFAULT 0
);

-- Facts learned about the supplier that outlive a process (e.g. that it
-- drops IMEIs from batches).
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Who did what and when: logins, submissions, review decisions, ...
CREATE TABLE audit (
  id     INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  actor  TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL DEFAULT ''
);

)sql";

// The duplicate guard looks items up by IMEI for every new item; without this
// index each lookup scanned every queued item (20,000 IMEIs took 13 s).
constexpr std::string_view kItemsByImei = R"sql(
CREATE INDEX items_by_imei ON items(imei, state);
)sql";

constexpr std::array kMigrations = {
    Migration{1, kSchemaV1},
    Migration{2, kItemsByImei},
};

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

Status ApplyMigrations(Database& db, std::span<const Migration> migrations) {
  Result<int> current = db.SchemaVersion();
  if (!current.ok()) return current.status();
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > newest) {
    return Status::InvalidArgument(
        fmt::format("schema version {} is newer than this imeiflow knows ({}): upgrade imeiflow",
                    *current, newest));
  }
  for (const Migration& m : migrations) {
    if (m.version <= *current) continue;
    Transaction tx(db);
    if (!tx.status().ok()) return tx.status();
    if (Status s = db.Exec(m.sql); !s.ok()) {
      return Status(s.code(), fmt::format("migration {}: {}", m.version, s.message()));
    }
    if (Status s = db.Exec(fmt::format("PRAGMA user_version = {}", m.version)); !s.ok()) {
      return s;
    }
    if (Status s = tx.Commit(); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace imeiflow::store
