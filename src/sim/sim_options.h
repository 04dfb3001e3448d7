// SimOptions: every knob of the simulated supplier (GSM Fusion or DHRU), with defaults.
//
// main.cc fills one from the command line; tests and benchmarks build one in
// code. A plain value: copy it freely; SimServer keeps its own copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/money.h"

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

/// The wire protocol the simulator speaks.
enum class Protocol {
  kGsmFusion,  ///< `POST /gsmfusion_api/index.php`, XML answers
  kDhru,       ///< `POST|GET /api/index.php`, JSON answers (dhru-api.md)
};

/// Which encodings of DHRU's `parameters` field are accepted.
enum class DhruParameters { kAny, kBase64, kXml };

/// What DHRU's placeimeiorderbulk does.
enum class DhruBulk {
  kOff,    ///< not supported: the panel's "Invalid Action" error
  kRows,   ///< refs at the top level, each {"SUCCESS"|"ERROR": [...]}
  kKeyed,  ///< {"SUCCESS": {ref: {"status", "message", "referenceid"}}}
};

/// The DHRU answer variants (every one is seen on some live panel).
struct DhruOptions {
  DhruParameters parameters = DhruParameters::kAny;  ///< accepted `parameters` encodings
  std::string account_key = "AccoutInfo";  ///< accountinfo's key: AccoutInfo or AccountInfo
  bool numeric_ids = false;     ///< ids and prices as JSON numbers instead of strings
  bool list_arrays = false;     ///< groups and services as arrays instead of objects keyed by id
  DhruBulk bulk = DhruBulk::kRows;  ///< placeimeiorderbulk support and answer shape
  double bulk_drop = 0;         ///< per bulk row: left out of the answer (and not ordered)
  bool numeric_status = true;   ///< STATUS as a JSON number instead of a string
  bool errors_4xx = false;      ///< ERROR answers with HTTP 400/401/402 instead of 200
};

/// Probabilities (0..1) of the faults injected into calls; see fault_plan.h.
struct FaultOptions {
  double http500 = 0;  ///< HTTP 500 HTML page; the orders are committed first half of the time
  double http503 = 0;  ///< HTTP 503 + Retry-After; nothing applied
  double reset = 0;    ///< orders committed, then the connection is reset before any byte
  double hang = 0;     ///< orders committed, then no answer for hang_ms
  double phpxml = 0;   ///< the answer's prolog is the malformed `<?phpxml ...?>`
  double omit = 0;     ///< per order id asked by getimeis: left out of the answer
  double html = 0;     ///< an HTML error page (HTTP 200) instead of the answer; placements
                       ///< are committed first half of the time
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
  Protocol protocol = Protocol::kGsmFusion;  ///< the wire protocol
  DhruOptions dhru;                          ///< DHRU answer variants
  std::optional<Money> balance;  ///< starting credit; nullopt: unlimited (never refused)
};

}  // namespace imeiflow::sim
