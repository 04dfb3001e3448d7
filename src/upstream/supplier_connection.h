// SupplierConnection: the configured GSM Fusion supplier, ready for calls: a
// libcurl transport and the GSM Fusion client over it, built from [upstream],
// telling the time by the system clock.
// Not thread-safe: the thread that opens it makes every call.
#pragma once

#include <memory>

#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "upstream/gsmfusion/client.h"
#include "upstream/http/curl_transport.h"

namespace imeiflow::upstream {

/// A transport and a client bound together.
class SupplierConnection {
 public:
  /// Checks [upstream] (url, user, key) and connects; errors name the key
  /// that is missing, never the API key itself.
  static Result<std::unique_ptr<SupplierConnection>> Open(const Config& config);

  /// The supplier, as the engine and the commands drive it.
  Provider& provider() { return client_; }

 private:
  SupplierConnection(const CurlTransportOptions& options, gsmfusion::Settings settings)
      : transport_(options), client_(std::move(settings), transport_, clock_) {}
  SystemClock clock_;
  CurlTransport transport_;
  gsmfusion::Client client_;
};

}  // namespace imeiflow::upstream
