// CurlTransport: Transport over libcurl's multi interface.
//
// Every request shares one multi handle, so connections are kept alive and
// reused across calls, and one thread drives any number of transfers.
// TLS peer and host verification are always on. Answers may be gzip- or
// deflate-encoded. The POST body goes out through a read callback whose seek
// callback refuses to rewind: libcurl silently resends a request whose reused
// connection died before any answer byte, and the supplier may already have
// acted on (and charged for) the first copy. With rewinding refused, such a
// transfer fails with kRewindRefused instead of going out twice. An answer
// is read up to a stated size (after decoding, so a small gzip bomb cannot
// grow past it either); a larger one fails with kTooLarge. Error messages
// never carry the URL's user-info.
// Not thread-safe: one thread owns it (see Transport).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "upstream/http/transport.h"

namespace imeiflow::upstream {

/// The default bound on a decoded answer: room for the longest service list
/// accepted (20,000 services) at over 800 bytes a service.
inline constexpr size_t kDefaultMaxBodyBytes = 16 * 1024 * 1024;

/// Settings that hold for every request of a CurlTransport.
struct CurlTransportOptions {
  std::string ca_file;                           ///< extra CA bundle; empty: the system's
  size_t max_body_bytes = kDefaultMaxBodyBytes;  ///< larger answers fail with kTooLarge
  std::string user_agent = "imeiflow/0.1";       ///< User-Agent header
  long keep_connections =
      128;  ///< connections kept open for reuse (libcurl would shrink its cache as transfers end)
};

/// The libcurl multi implementation of Transport.
class CurlTransport : public Transport {
 public:
  /// A transport with `options`; libcurl's global state is set up once per process.
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  /// Transport.
  void Start(HttpRequest request, HttpCompletion done) override;
  /// Transport.
  void Pump(std::chrono::milliseconds max_wait) override;
  /// Transport.
  size_t InFlight() const override;

  /// Connections opened so far (sum of CURLINFO_NUM_CONNECTS): with keep-alive
  /// reuse this stays far below the number of requests.
  long connections_opened() const { return connections_opened_; }

 private:
  struct Transfer;
  void Finish(Transfer* transfer, int curl_code);

  CurlTransportOptions options_;
  void* multi_;  // CURLM*, kept opaque so that users of this header need no curl.h
  std::vector<Transfer*> not_started_;    // failed in Start; reported by the next Pump
  std::unordered_set<Transfer*> active_;  // started, callback not yet run
  long connections_opened_ = 0;
};

}  // namespace imeiflow::upstream
