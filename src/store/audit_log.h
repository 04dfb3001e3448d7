// AuditLog: who did what and when in the `audit` table: logins (ok and
// failed), logouts, submissions, cancellations, review decisions, user and
// token changes. Rows are only ever appended, by the store's repositories,
// inside the transaction of the change they record.
// Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// One audit row.
struct AuditEntry {
  int64_t id = 0;      ///< row id (increases with time)
  int64_t at = 0;      ///< Unix ms
  std::string actor;   ///< user name, "cli", or what tried to log in
  std::string action;  ///< e.g. "login", "login_failed", "user_add"
  std::string detail;  ///< free text: what, in numbers
};

/// The audit log.
class AuditLog {
 public:
  /// Uses `db` for every call; `db` must outlive the log.
  explicit AuditLog(Database& db) : db_(db) {}

  /// Appends one row (inside the caller's transaction, if one is open).
  Status Append(int64_t at_ms, std::string_view actor, std::string_view action,
                std::string_view detail);
  /// `limit` rows from `offset`, newest first.
  Result<std::vector<AuditEntry>> List(int64_t offset, int64_t limit);
  /// How many rows there are (for paging).
  Result<int64_t> Count();

 private:
  Database& db_;
};

}  // namespace imeiflow::store
