// OrderFilterOptions: the search flags `imeiflow orders` and `imeiflow export`
// share (--imei, --imei-file, --status, --service, --job, --since, --until,
// and by result --fmi, --simlock, --blacklisted, --carrier, --code),
// and how they become a store::OrderFilter. Not thread-safe; main's thread.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "core/status.h"
#include "store/order_repository.h"

namespace imeiflow::cli {

/// The flags as given.
struct OrderFilterOptions {
  std::string imeis;      ///< --imei: IMEIs, any separators
  std::string imei_file;  ///< --imei-file: a file of IMEIs (text, CSV, XLSX), "-" for stdin
  std::string status;     ///< --status: stored status
  std::string service;    ///< --service: service id
  int64_t job = 0;        ///< --job: job id (0: any)
  std::string since;      ///< --since: YYYY-MM-DD[THH:MM:SS[Z]]
  std::string until;      ///< --until: a day (included) or an instant (excluded)
  std::string fmi;          ///< --fmi: on or off
  std::string simlock;      ///< --simlock: locked or unlocked
  std::string blacklisted;  ///< --blacklisted: yes or no
  std::string carrier;      ///< --carrier: text in the carrier
  std::string code;         ///< --code: text in the result
};

/// Registers the flags on `cmd`, writing into `options` (which must outlive `cmd`).
void AddOrderFilterOptions(CLI::App* cmd, OrderFilterOptions* options);

/// The filter the flags describe; the IMEI list is read with the input parser
/// (any separators, 14-digit IMEIs completed). InvalidArgument for a bad date
/// or an entry of the list that is not an IMEI, a status or result value that
/// is none of the allowed ones (naming them); IoError for an unreadable file.
/// The filter's limit and offset are left at their defaults.
Result<store::OrderFilter> BuildOrderFilter(const OrderFilterOptions& options);

/// Prints the error as Fail does; returns kExitUsage for InvalidArgument
/// (the flags are wrong), kExitFailure otherwise.
int FilterFail(std::string_view command, const Status& status);

}  // namespace imeiflow::cli
