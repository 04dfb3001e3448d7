#include "store/duplicate_guard.h"

#include <fmt/format.h>

namespace imeiflow::store {
namespace {

constexpr const char* kFindOrder =
    "SELECT id FROM orders WHERE imei = ?1 AND service_id = ?2 AND status != 'rejected'"
    " ORDER BY id LIMIT 1";
constexpr const char* kFindOpenItem =
    "SELECT items.job_id FROM items JOIN jobs ON jobs.id = items.job_id"
    " WHERE items.imei = ?1 AND jobs.service_id = ?2"
    " AND items.state IN ('queued', 'in_flight', 'uncertain') LIMIT 1";
constexpr const char* kFindLatestOrder =
    "SELECT status, coalesce(code, '') FROM orders WHERE imei = ?1 AND service_id = ?2"
    " ORDER BY id DESC LIMIT 1";

// Runs `stmt` for (imei, service): whether it found a row.
Result<bool> Ask(Statement& stmt, const std::string& imei, const std::string& service) {
  stmt.Reset();
  stmt.Bind(1, imei).Bind(2, service);
  return stmt.Step();
}

}  // namespace

Result<DuplicateGuard> DuplicateGuard::Prepare(Database& db, bool report_rejected) {
  Result<Statement> find_order = db.Prepare(kFindOrder);
  if (!find_order.ok()) return find_order.status();
  Result<Statement> find_open = db.Prepare(kFindOpenItem);
  if (!find_open.ok()) return find_open.status();
  Result<Statement> find_latest = db.Prepare(kFindLatestOrder);
  if (!find_latest.ok()) return find_latest.status();
  return DuplicateGuard(std::move(*find_order), std::move(*find_open), std::move(*find_latest),
                        report_rejected);
}

Result<GuardVerdict> DuplicateGuard::Check(const std::string& imei, const std::string& service_id,
                                           bool recheck, bool skip_rejected) {
  GuardVerdict verdict;
  Result<bool> row = false;
  if (!recheck) {
    row = Ask(find_order_, imei, service_id);
    if (!row.ok()) return row.status();
    if (*row) {
      verdict.state = ItemState::kSkippedDuplicate;
      verdict.already_ordered = true;
      verdict.order_id = find_order_.ColumnInt(0);
      verdict.reason = fmt::format("already ordered (order {})", *verdict.order_id);
      return verdict;
    }
    row = Ask(find_open_, imei, service_id);
    if (!row.ok()) return row.status();
    if (*row) {
      verdict.state = ItemState::kSkippedDuplicate;
      verdict.already_ordered = true;
      verdict.reason = fmt::format("already queued in job {}", find_open_.ColumnInt(0));
      return verdict;
    }
  }
  if (!skip_rejected && !report_rejected_) return verdict;
  row = Ask(find_latest_, imei, service_id);
  if (!row.ok()) return row.status();
  if (*row && find_latest_.ColumnText(0) == "rejected") {
    std::string reason = find_latest_.ColumnText(1);
    verdict.rejected_reason = reason.empty() ? "no reason given" : reason;
  }
  if (skip_rejected && verdict.rejected_reason) {
    verdict.state = ItemState::kSkippedDuplicate;
    verdict.reason = fmt::format("rejected before: {}", *verdict.rejected_reason);
  }
  return verdict;
}

}  // namespace imeiflow::store
