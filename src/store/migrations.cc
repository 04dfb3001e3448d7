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

// Version 3: results and status sync. The parsed fields of a result code are
// columns (searchable, exportable); `code_imei` is the code's own "IMEI" field,
// named apart from the ordered `imei`. The syncer's schedule lives on the
// order: when to ask next, how often it asked, how many answers left it out,
// and when it gave up (stale) without a final state.
constexpr std::string_view kResultsAndSync = R"sql(
ALTER TABLE orders ADD COLUMN model TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN code_imei TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN imei2 TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN serial TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN meid TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN carrier TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN simlock TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN fmi TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN gsma_status TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN purchase_date TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN applecare TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN next_poll_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN polls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN misses INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN stale_at INTEGER;
CREATE INDEX orders_to_sync ON orders(next_poll_at)
  WHERE status IN ('pending', 'in_process') AND stale_at IS NULL AND upstream_id IS NOT NULL;
CREATE INDEX orders_by_placed ON orders(placed_at, id);
)sql";

// Version 4: the web application's users, their sessions and API tokens.
// Session ids and tokens are stored only as SHA-256 hex digests, passwords
// only as argon2id strings.
constexpr std::string_view kUsers = R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  disabled_at   INTEGER
);

CREATE TABLE sessions (
  id_hash      TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  csrf_token   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  token_hash   TEXT NOT NULL UNIQUE,
  label        TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
)sql";

// Version 5: refunds. A rejected order of a job is refunded by the supplier:
// the refund is booked once (orders.refunded_at) into the refunded_cents of
// the day the order was charged (its placed_at day), so every money figure is
// cents - refunded_cents. Orders already rejected when it runs are refunded
// by it, as upstream.refunds_rejected's default says.
constexpr std::string_view kRefunds = R"sql(
ALTER TABLE spending ADD COLUMN refunded_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN refunded_at INTEGER;
INSERT INTO spending(day, cents, refunded_cents)
  SELECT strftime('%Y-%m-%d', placed_at / 1000, 'unixepoch'), 0, sum(price_cents) FROM orders
  WHERE status = 'rejected' AND job_id IS NOT NULL GROUP BY 1
  ON CONFLICT(day) DO UPDATE SET refunded_cents = refunded_cents + excluded.refunded_cents;
UPDATE orders SET refunded_at = updated_at WHERE status = 'rejected' AND job_id IS NOT NULL;
)sql";

// Version 6: the uploaded sheet of a job made from a CSV or XLSX file, kept
// so it can be downloaded again with the results appended (store/job_sheet.h):
// its format, and every non-blank row's cells (JSON array of strings) under
// its line or spreadsheet row number, the number the job's items carry.
// `note` says why a row has no item of its own ("repeat of row 5").
constexpr std::string_view kJobSheets = R"sql(
CREATE TABLE job_sheets (
  job_id INTEGER PRIMARY KEY REFERENCES jobs(id),
  format TEXT NOT NULL CHECK (format IN ('csv', 'xlsx'))
);
CREATE TABLE job_sheet_rows (
  job_id     INTEGER NOT NULL REFERENCES job_sheets(job_id),
  row_no     INTEGER NOT NULL,
  cells_json TEXT NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (job_id, row_no)
) WITHOUT ROWID;
)sql";

// Version 7: a job's orders by time, so that a job's order count and its
// listing (newest first) read only that job's orders instead of walking
// orders_by_placed through every order ever placed.
constexpr std::string_view kOrdersByJob = R"sql(
CREATE INDEX orders_by_job ON orders(job_id, placed_at, id);
)sql";

constexpr std::array kMigrations = {
    Migration{1, kSchemaV1},
    Migration{2, kItemsByImei},
    Migration{3, kResultsAndSync},
    Migration{4, kUsers},
    Migration{5, kRefunds},
    Migration{6, kJobSheets},
    Migration{7, kOrdersByJob},
};

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

Status ApplyMigrations(Database& db, std::span<const Migration> migrations) {
  Result<int> current = db.SchemaVersion();
  if (!current.ok()) return current.status();
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > newest) {
    return Status::InvalidArgument(
        fmt::format("this database was written by a newer imeiflow (schema {}, this binary knows "
                    "up to {}): upgrade imeiflow",
                    *current, newest));
  }
  for (const Migration& m : migrations) {
    if (m.version <= *current) continue;
    Transaction tx(db);
    if (!tx.status().ok()) return tx.status();
    // Another process may have applied it meanwhile (BEGIN IMMEDIATE waited for it).
    Result<int> now = db.SchemaVersion();
    if (!now.ok()) return now.status();
    if (m.version <= *now) continue;
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
