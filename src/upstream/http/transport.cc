#include "upstream/http/transport.h"

#include <optional>

namespace imeiflow::upstream {

const char* TransportErrorName(TransportError error) {
  switch (error) {
    case TransportError::kNone:
      return "none";
    case TransportError::kCannotConnect:
      return "cannot connect";
    case TransportError::kTimedOut:
      return "timed out";
    case TransportError::kConnectionLost:
      return "connection lost";
    case TransportError::kRewindRefused:
      return "resend refused";
    case TransportError::kBadAnswer:
      return "undecodable answer";
    case TransportError::kTooLarge:
      return "answer too large";
    case TransportError::kOther:
      return "transport failure";
  }
  return "transport failure";
}

HttpResponse Transport::Call(HttpRequest request) {
  std::optional<HttpResponse> result;
  Start(std::move(request), [&result](HttpResponse response) { result = std::move(response); });
  while (!result) Pump(std::chrono::milliseconds(100));
  return std::move(*result);
}

}  // namespace imeiflow::upstream
