// Transport: the HTTP boundary of the supplier client, asynchronous so that
// one thread can drive every supplier call (design: "Concurrency").
//
// A caller starts requests with Start(); each finishes by its completion
// callback, which runs on the thread that calls Pump(). Call() is a blocking
// convenience for one request. Implementations: CurlTransport (libcurl multi);
// unit tests use fakes.
// Not thread-safe: one thread owns a Transport and makes every call on it
// (callbacks may start new requests).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace imeiflow::upstream {

/// Why a request got no complete HTTP answer.
enum class TransportError {
  kNone,            ///< an HTTP answer was read in full
  kCannotConnect,   ///< DNS, refused connection, TLS handshake or certificate: nothing sent
  kTimedOut,        ///< the connect or total timeout fired
  kConnectionLost,  ///< the connection broke (reset, closed without an answer)
  kRewindRefused,   ///< the transport would have resent the request; it refused
  kBadAnswer,       ///< the answer could not be decoded (e.g. broken gzip)
  kTooLarge,        ///< the answer exceeded the body size limit
  kOther,           ///< anything else (bad URL, out of memory, ...)
};

/// A short name for `error` ("timed out", "connection lost", ...).
const char* TransportErrorName(TransportError error);

/// One POST with urlencoded form fields.
struct HttpRequest {
  std::string url;                                        ///< full URL
  std::vector<std::pair<std::string, std::string>> form;  ///< fields, in order, not yet encoded
  std::chrono::milliseconds connect_timeout{10'000};      ///< time allowed to connect
  std::chrono::milliseconds total_timeout{60'000};        ///< time allowed for the whole call
};

/// What came back, or why nothing usable did.
struct HttpResponse {
  int status = 0;                                ///< HTTP status; 0 when none was read
  std::optional<std::string> retry_after;        ///< the Retry-After header, verbatim
  std::string body;                              ///< decoded body (gzip undone)
  TransportError error = TransportError::kNone;  ///< kNone: status and body are complete
  std::string error_message;                     ///< the transport's words; never holds form values
  bool request_may_have_reached_server = false;  ///< false only when provably nothing was sent
  std::chrono::microseconds elapsed{0};          ///< time from Start() to completion
};

/// Runs once per request, on the thread calling Pump().
using HttpCompletion = std::function<void(HttpResponse)>;

/// The asynchronous HTTP client interface.
class Transport {
 public:
  virtual ~Transport() = default;

  /// Starts `request`; `done` runs from a later Pump() (never from inside Start).
  virtual void Start(HttpRequest request, HttpCompletion done) = 0;
  /// Drives transfers for at most `max_wait` (returning early once some
  /// finished) and runs the callbacks of those that finished.
  virtual void Pump(std::chrono::milliseconds max_wait) = 0;
  /// Requests started whose callback has not run yet.
  virtual size_t InFlight() const = 0;

  /// Starts `request` and pumps until it finishes. Other requests in flight
  /// progress (and complete) meanwhile.
  HttpResponse Call(HttpRequest request);
};

}  // namespace imeiflow::upstream
