// SimOptions: every knob of the simulated GSM Fusion supplier, with defaults.
//
// main.cc fills one from the command line; tests and benchmarks build one in
// code. A plain value: copy it freely; SimServer keeps its own copy.
#pragma once

#include <cstdint>
#include <string>

namespace imeiflow::sim {

/// What a multi-IMEI placeorder call does.
enum class BatchMode {
  kAll,   ///< every IMEI of the call is ordered (as the vendor's manual says)
  kLast,  ///< only the last IMEI is ordered, the others are not mentioned (as seen live)
};

/// What placeorder does with an IMEI already ordered for the same service.
enum class DuplicateMode {
  kRefuse,  ///< refused and not charged (the live supplier)
  kCharge,  ///< a new order is created and charged again
};

/// Probabilities (0..1) of the faults injected into calls; see fault_plan.h.
struct FaultOptions {
  double http500 = 0;  ///< HTTP 500 HTML page; the orders are committed first half of the time
  double http503 = 0;  ///< HTTP 503 + Retry-After; nothing applied
  double reset = 0;    ///< orders committed, then the connection is reset before any byte
  double hang = 0;     ///< orders committed, then no answer for hang_ms
  double phpxml = 0;   ///< the answer's prolog is the malformed `<?phpxml ...?>`
  double omit = 0;     ///< per order id asked by getimeis: left out of the answer
  int64_t hang_ms = 300000;  ///< how long a hanging call stays silent
};

/// Every setting of the simulator.
struct SimOptions {
  std::string host = "127.0.0.1";                    ///< address to listen on
  int port = 0;                                      ///< 0: the kernel picks a free port
  std::string user = "demo";                         ///< the accepted `userId`
  std::string api_key = "DEMO-0000-0000-0000-0000";  ///< the accepted `apiKey` (never printed)
  int64_t latency_ms = 0;                            ///< added to every API call
  int64_t jitter_ms = 0;                             ///< plus a uniform random 0..jitter_ms
  int max_concurrent = 0;  ///< API calls in progress beyond this get 429; 0: no limit
  int threads = 256;       ///< server worker threads (each keep-alive connection holds one)
  BatchMode batch = BatchMode::kAll;                  ///< see BatchMode
  DuplicateMode duplicates = DuplicateMode::kRefuse;  ///< see DuplicateMode
  FaultOptions faults;                                ///< injected faults
  bool gzip = false;                                  ///< gzip answers when the request accepts it
  bool chunked = false;                               ///< answers use Transfer-Encoding: chunked
  int64_t process_after_ms = 2000;   ///< Pending -> In Process this long after placement
  int64_t complete_after_ms = 5000;  ///< -> Completed/Rejected this long after placement
  double reject_ratio = 0.05;        ///< share of orders that end Rejected
  bool numeric_status = false;       ///< getimeis answers status ids 1/4/2/3 instead of words
  std::string services_file;         ///< JSON catalogue replacing the built-in one
  std::string ledger_file;           ///< CSV of every charged order; empty: none
  uint64_t seed = 1;                 ///< seeds every random decision
};

}  // namespace imeiflow::sim
