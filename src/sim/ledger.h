// Ledger: the simulator's record of every charged order, for tests that
// check exactly-once billing.
//
// A CSV file with a header line, then one line per charged order:
//   time,order_id,service_id,imei,price,call_id,answer
// `answer` says what the caller was sent for the call that created the order:
// ok, error-500, reset or hang (the last three: charged, answer lost).
// Lines are written with write(2) on an O_APPEND descriptor as soon as the
// order exists, so they survive the simulator being killed with SIGKILL.
// Thread-safe: each Append is one write(2) call.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "sim/order_book.h"

namespace imeiflow::sim {

/// The append-only CSV of charged orders.
class Ledger {
 public:
  /// Opens (creating, appending) `path`; writes the header when the file is empty.
  static Result<std::unique_ptr<Ledger>> Open(const std::string& path);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  /// Appends one line per order of `orders`, created by a call answered with `answer`.
  Status Append(const std::vector<Order>& orders, const std::string& answer);

  /// The header line (without newline).
  static const char* Header();

 private:
  Ledger(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Status WriteAll(const std::string& text);

  int fd_;
  std::string path_;
};

}  // namespace imeiflow::sim
