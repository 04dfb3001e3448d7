// SimStats: counters of what the simulator did, served as JSON on GET /sim/stats
// with the money of the order book (charged, and refunded for rejections).
// Thread-safe: every counter is atomic; a snapshot is not one atomic instant.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "sim/order_book.h"

namespace imeiflow::sim {

/// Counters of calls, orders and injected faults.
struct SimStats {
  std::atomic<int64_t> calls_total{0};            ///< API calls received (all actions)
  std::atomic<int64_t> calls_imeiservices{0};     ///< imeiservices (+ file/server services)
  std::atomic<int64_t> calls_placeorder{0};       ///< placeorder
  std::atomic<int64_t> calls_getimeis{0};         ///< getimeis
  std::atomic<int64_t> calls_other{0};            ///< unknown actions
  std::atomic<int64_t> auth_failures{0};          ///< bad user or API key
  std::atomic<int64_t> orders_created{0};         ///< charged orders
  std::atomic<int64_t> duplicates_refused{0};     ///< IMEIs refused as already ordered
  std::atomic<int64_t> invalid_imeis{0};          ///< IMEIs refused as invalid
  std::atomic<int64_t> batch_dropped{0};          ///< IMEIs ignored by --batch last
  std::atomic<int64_t> fault_500_committed{0};    ///< 500s sent after committing orders
  std::atomic<int64_t> fault_500_uncommitted{0};  ///< 500s sent with nothing applied
  std::atomic<int64_t> fault_503{0};              ///< 503s sent
  std::atomic<int64_t> fault_reset{0};            ///< connections reset
  std::atomic<int64_t> fault_hang{0};             ///< calls left hanging
  std::atomic<int64_t> fault_html_committed{0};    ///< HTML pages sent after committing orders
  std::atomic<int64_t> fault_html_uncommitted{0};  ///< HTML pages sent with nothing applied
  std::atomic<int64_t> no_credit_refused{0};       ///< IMEIs refused: the balance could not pay
  std::atomic<int64_t> fault_phpxml{0};           ///< answers with the phpxml prolog
  std::atomic<int64_t> getimeis_omitted{0};       ///< order ids getimeis left out (--fault-omit)
  std::atomic<int64_t> rejected_429{0};           ///< calls refused by --max-concurrent
  std::atomic<int64_t> in_progress{0};            ///< API calls being handled now
  std::atomic<int64_t> max_in_progress{0};        ///< the highest in_progress seen

  /// The counters as a JSON object ({"calls": {...}, "faults": {...}, ...}),
  /// with `money` as "charged_cents" and "refunded_cents".
  std::string ToJson(const BookMoney& money) const;
};

}  // namespace imeiflow::sim
