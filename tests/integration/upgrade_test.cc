// Upgrades keep every order: a database written by the previous release's
// migrations (fixtures/schema_v6.sql, dumped from a database that release's
// `submit` and `work` filled against imeiflow-sim) is opened by this binary,
// which migrates it; every order is still there, with its id, IMEI, supplier
// id and price, and the jobs, items and audit rows with it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <string>
#include <tuple>

#include "process_util.h"
#include "store/migrations.h"

namespace imeiflow::integration {
namespace {

using OrderRow = std::tuple<std::string, std::string, std::string, std::string>;

// Runs `sql` on the database file at `path` with SQLite alone (no migrations).
bool ExecRaw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  bool ok = sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
            sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  if (!ok) ADD_FAILURE() << path << ": " << sqlite3_errmsg(db);
  sqlite3_close(db);
  return ok;
}

// Every row of `sql` (four columns) on the database at `path`, by first column.
std::map<std::string, OrderRow> Rows(const std::string& path, const std::string& sql) {
  std::map<std::string, OrderRow> rows;
  sqlite3* db = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
    auto text = [&](int c) {
      const unsigned char* v = sqlite3_column_text(st, c);
      return v ? std::string(reinterpret_cast<const char*>(v)) : std::string();
    };
    while (sqlite3_step(st) == SQLITE_ROW) rows[text(0)] = {text(0), text(1), text(2), text(3)};
  } else {
    ADD_FAILURE() << path << ": " << sqlite3_errmsg(db);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

// The rows in `table`.
int Count(const std::string& path, const std::string& table) {
  std::map<std::string, OrderRow> rows = Rows(path, "SELECT count(*), 0, 0, 0 FROM " + table);
  return rows.empty() ? -1 : std::stoi(rows.begin()->first);
}

TEST(UpgradeTest, PreviousReleaseDatabaseKeepsEveryOrder) {
  TempDir dir;
  std::string db = dir.File("old.db");
  std::string fixture =
      ReadAll(std::string(IMEIFLOW_SOURCE_DIR) + "/tests/integration/fixtures/schema_v6.sql");
  ASSERT_FALSE(fixture.empty());
  ASSERT_TRUE(ExecRaw(db, fixture));
  const std::string orders_sql =
      "SELECT id, imei, upstream_id, price_cents FROM orders";
  std::map<std::string, OrderRow> before = Rows(db, orders_sql);
  ASSERT_GT(before.size(), 0u);
  ASSERT_EQ(Rows(db, "SELECT user_version, 0, 0, 0 FROM pragma_user_version").begin()->first, "6");
  int jobs = Count(db, "jobs"), items = Count(db, "items"), audit = Count(db, "audit");
  ASSERT_GT(audit, 0);

  // Any command opens (and so migrates) the database.
  ProcessRun orders = RunImeiflow({"orders", "--json"}, {{"IMEIFLOW_DB", db}});
  ASSERT_EQ(orders.exit_code, 0) << orders.err;
  nlohmann::json listed = nlohmann::json::parse(orders.out, nullptr, false);
  ASSERT_FALSE(listed.is_discarded()) << orders.out;

  EXPECT_EQ(Rows(db, "SELECT user_version, 0, 0, 0 FROM pragma_user_version").begin()->first,
            std::to_string(store::AllMigrations().back().version));
  EXPECT_EQ(Rows(db, orders_sql), before);
  EXPECT_EQ(Count(db, "jobs"), jobs);
  EXPECT_EQ(Count(db, "items"), items);
  EXPECT_GE(Count(db, "audit"), audit);
}

}  // namespace
}  // namespace imeiflow::integration
