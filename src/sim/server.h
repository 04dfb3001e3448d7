// SimServer: the simulated supplier as a real HTTP server.
//
// Speaks `POST /gsmfusion_api/index.php` (multipart or urlencoded forms) as
// docs/gsmfusion-api.md describes, or with Protocol::kDhru `POST|GET
// /api/index.php` as dhru-api.md describes (sim/dhru_api.h), with injectable latency, concurrency
// limits, batch and duplicate behaviour, and faults (see SimOptions), plus
// `GET /sim/stats` (JSON counters) and `POST /sim/credit` (field `amount`:
// adds to a limited --balance). Usable in-process by tests and
// benchmarks, and by main.cc as the `imeiflow-sim` program.
//
// Decisions the protocol page leaves open:
// - a multi-IMEI placeorder leaves invalid IMEIs (not 15 digits + Luhn) out of
//   its answer: they are neither ordered nor mentioned, so a client that
//   accounts for every IMEI resends them alone and then gets the error;
// - with --batch last, a multi-IMEI call behaves exactly like a single-IMEI
//   call for its last IMEI (errors included); the others are not mentioned;
// - a 500 fault commits the call's orders first with probability 0.5
//   (ledger answer "error-500"; /sim/stats tells committed from not);
// - after a hang that runs its course the answer is sent normally; a hang
//   cut short by Stop() resets the connection instead.
// Starting a server ignores SIGPIPE process-wide (a reset connection must
// not kill the process).
// Thread-safety: Start/Stop from one controlling thread; port(), stats() and
// orders() from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/status.h"
#include "sim/catalogue.h"
#include "sim/dhru_api.h"
#include "sim/dhru_catalogue.h"
#include "sim/fault_plan.h"
#include "sim/ledger.h"
#include "sim/order_book.h"
#include "sim/sim_clock.h"
#include "sim/sim_options.h"
#include "sim/sim_stats.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace imeiflow::sim {

/// The API path.
inline constexpr const char* kApiPath = "/gsmfusion_api/index.php";

/// The simulated supplier.
class SimServer {
 public:
  /// Loads the catalogue and opens the ledger named by `options`. `clock`
  /// (optional, must outlive the server) replaces the system clock.
  static Result<std::unique_ptr<SimServer>> Create(const SimOptions& options,
                                                   const SimClock* clock = nullptr);
  /// Stops the server if running.
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  /// Binds host:port and starts serving on a background thread.
  Status Start();
  /// Stops serving: interrupts sleeping calls, waits for workers to finish.
  void Stop();

  /// The bound port (valid after Start).
  int port() const { return port_; }
  /// The host it listens on.
  const std::string& host() const { return options_.host; }
  /// "http://host:port".
  std::string url() const;
  /// The counters.
  const SimStats& stats() const { return stats_; }
  /// The orders.
  const OrderBook& orders() const { return *book_; }

 private:
  SimServer(const SimOptions& options, Catalogue catalogue, std::unique_ptr<Ledger> ledger,
            const SimClock* clock);

  void HandleApi(const httplib::Request& req, httplib::Response& res);
  void Dispatch(const httplib::Request& req, httplib::Response& res, int64_t call_id);
  void PlaceOrder(const httplib::Request& req, httplib::Response& res, int64_t call_id);
  void GetImeis(const httplib::Request& req, httplib::Response& res, const FaultDecision& fault);
  void DispatchDhru(const httplib::Request& req, httplib::Response& res, int64_t call_id);
  void SendXml(const httplib::Request& req, httplib::Response& res, std::string xml);
  void SendEncoded(const httplib::Request& req, httplib::Response& res, std::string text,
                   const char* type, const char* chunked_type);
  void SendHtml(httplib::Response& res, int status, const std::string& title);
  void RecordInLedger(const std::vector<Order>& orders, const char* answer);
  void ResetOrLog(const httplib::Request& req);
  /// Sleeps `ms`, returning false early when Stop() is called.
  bool Sleep(int64_t ms);
  std::string_view Prolog(const FaultDecision& fault);

  const SimOptions options_;
  const Catalogue catalogue_;
  std::unique_ptr<Ledger> ledger_;
  SystemSimClock system_clock_;
  const SimClock& clock_;
  std::unique_ptr<OrderBook> book_;
  FaultPlan faults_;
  SimStats stats_;
  std::unique_ptr<DhruCatalogue> dhru_catalogue_;  // set for Protocol::kDhru
  std::unique_ptr<DhruApi> dhru_;                  // set for Protocol::kDhru
  std::unique_ptr<httplib::Server> http_;
  std::thread listener_;
  int port_ = 0;
  int listen_fd_ = -1;  // the listening socket, seen while httplib binds it
  std::atomic<int64_t> next_call_id_{1};
  std::mutex jitter_mu_;
  uint64_t jitter_state_;
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  bool running_ = false;
};

}  // namespace imeiflow::sim
