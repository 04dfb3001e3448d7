// The day the dashboard tests look at: one job of four IMEIs with items
// accepted, rejected, duplicate and queued, its orders, spending and the
// supplier's latest calls, written straight into the tables. Shared by the
// store's figures test and the web's page test so both check one data set.
// Not thread-safe: use from the test's thread.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "core/money.h"
#include "core/status.h"
#include "store/database.h"
#include "store/job_repository.h"

namespace imeiflow::store {

/// A UTC day in milliseconds.
inline constexpr int64_t kDashboardDay = 86'400'000;
/// The start of the seeded day: 2026-11-29 00:00 UTC.
inline constexpr int64_t kDashboardToday = 1'795'910'400'000;
/// 10:00 on the seeded day.
inline constexpr int64_t kDashboardNow = kDashboardToday + 10 * 3'600'000;

/// An item on `line` for `imei`, typed as given.
inline NewItem DashboardItem(int line, const std::string& imei) {
  NewItem item;
  item.line = line;
  item.input = imei;
  item.imei = imei;
  return item;
}

/// Runs `sql` on `db`, failing the test when it fails.
inline void ExecForDashboard(Database& db, const std::string& sql) {
  Status s = db.Exec(sql);
  ASSERT_TRUE(s.ok()) << s.message() << ": " << sql;
}

/// Seeds the day into `db`: job 1 of four IMEIs (line 1 accepted, 2 rejected,
/// 3 duplicate, 4 queued), three orders of it today (completed, rejected,
/// pending) and one of yesterday, $24.00 spent today, and four calls of
/// which the latest, today, ended unknown and one of the others failed.
inline void SeedDashboardDay(Database& db) {
  NewJob spec;
  spec.service_id = "1739";
  spec.price = Money::FromCents(8);
  Result<int64_t> job = JobRepository(db).Create(
      spec,
      {DashboardItem(1, "352099001761481"), DashboardItem(2, "490154203237518"),
       DashboardItem(3, "356938035643809"), DashboardItem(4, "353918050423364")},
      kDashboardToday + 1000);
  ASSERT_TRUE(job.ok()) << job.status().message();
  const std::string today = std::to_string(kDashboardToday + 2000);
  const std::string id = std::to_string(*job);
  ExecForDashboard(
      db, "UPDATE items SET state = 'accepted', updated_at = " + today + " WHERE line = 1");
  ExecForDashboard(
      db, "UPDATE items SET state = 'rejected', updated_at = " + today + " WHERE line = 2");
  ExecForDashboard(
      db, "UPDATE items SET state = 'duplicate', updated_at = " + today + " WHERE line = 3");
  ExecForDashboard(db,
                   "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, job_id,"
                   " placed_at, updated_at) VALUES"
                   " ('u1', '352099001761481', '1739', 'completed', 8, " +
                       id + ", " + today + ", " + today +
                       "),"
                       " ('u2', '111111111111111', '1739', 'rejected', 8, " +
                       id + ", " + today + ", " + today +
                       "),"
                       " ('u3', '222222222222222', '1739', 'pending', 8, " +
                       id + ", " + today + ", " + today +
                       "),"
                       " ('u0', '333333333333333', '1739', 'completed', 8, NULL, " +
                       std::to_string(kDashboardToday - kDashboardDay) + ", 0)");
  ExecForDashboard(
      db, "INSERT INTO spending(day, cents) VALUES ('2026-11-29', 2400), ('2026-11-28', 999)");
  ExecForDashboard(
      db,
      "INSERT INTO calls(service_id, created_at, finished_at, outcome, http_status) VALUES"
      " ('1739', 1, 2, 'applied', 200), ('1739', 3, 4, 'not_applied', 503),"
      " ('1739', 5, 6, 'applied', 200), ('1739', " +
          today + ", " + today + ", 'unknown', 0)");
}

}  // namespace imeiflow::store
