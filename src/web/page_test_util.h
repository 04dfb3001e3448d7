// Helpers for the tests of the orders, import, review and admin pages:
// valid IMEIs made up on demand, orders and jobs written straight into the
// test database, and text helpers for pages. For the web tests only.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "core/imei.h"
#include "store/database.h"
#include "store/job_repository.h"
#include "store/order_repository.h"

namespace imeiflow::web {

/// The `n`-th made-up IMEI: 14 digits from `n`, plus their check digit.
inline std::string TestImei(int n) {
  std::string body = std::to_string(35'000'000'000'000 + n);
  return body + CheckDigit(body);
}

/// Inserts an order of `imei` for service 1739 placed at `placed_at`, with
/// `code` as its result (completed) when given; returns its id.
inline int64_t AddOrder(store::Database& db, const std::string& imei, int64_t placed_at,
                        std::optional<int64_t> job_id = std::nullopt,
                        const std::string& code = "") {
  Result<store::Statement> insert = db.Prepare(
      "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, job_id, placed_at,"
      " updated_at) VALUES (?1, ?2, '1739', 'pending', 8, ?3, ?4, ?4)");
  EXPECT_TRUE(insert.ok());
  if (!insert.ok()) return 0;
  insert->Bind(1, "u-" + imei).Bind(2, imei).Bind(3, job_id).Bind(4, placed_at);
  EXPECT_TRUE(insert->Run().ok());
  int64_t id = db.LastInsertId();
  if (!code.empty()) {
    EXPECT_TRUE(store::OrderRepository(db).SetResult(id, store::OrderStatus::kCompleted, code, placed_at).ok());
  }
  return id;
}

/// How often `needle` occurs in `text`.
inline int CountOf(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

/// The href of the element with id `id` in `html`, its &amp; undone ("" if none).
inline std::string HrefOf(const std::string& html, const std::string& id) {
  std::regex link("id=\"" + id + "\" href=\"([^\"]*)\"");
  std::smatch match;
  if (!std::regex_search(html, match, link)) return "";
  std::string href = match[1].str();
  for (size_t at = href.find("&amp;"); at != std::string::npos; at = href.find("&amp;", at)) {
    href.replace(at, 5, "&");
  }
  return href;
}

}  // namespace imeiflow::web
