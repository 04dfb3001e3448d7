// Migrations: the schema's history, applied forward only.
//
// Each entry moves the schema from version N-1 to N (PRAGMA user_version).
// Released entries never change; a new schema change is a new entry at the
// end. Not thread-safe: run by Database::Open on its own connection.
#pragma once

#include <span>
#include <string_view>

#include "core/status.h"

namespace imeiflow::store {

class Database;

/// One step of the schema's history.
struct Migration {
  int version;           ///< the user_version after this step
  std::string_view sql;  ///< statements run in one transaction
};

/// Every migration, in order.
std::span<const Migration> AllMigrations();

/// Applies, each in its own transaction, the migrations newer than the
/// database's version. A database newer than this program is an error.
Status ApplyMigrations(Database& db, std::span<const Migration> migrations);

}  // namespace imeiflow::store
