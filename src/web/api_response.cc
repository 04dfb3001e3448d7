#include "web/api_response.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace imeiflow::web {
namespace {

// What an error the server raised itself means, and what to send instead.
std::string ReasonFor(int status, size_t body_limit_bytes) {
  switch (status) {
    case 400:
      return "bad request: the request could not be read as HTTP";
    case 404:
      return "not found";
    case 411:
      return "send the body with a Content-Length";
    case 413:
      return fmt::format("the request body is larger than the limit of {} "
                         "(web.upload_limit_mb); send fewer IMEIs per request",
                         body_limit_bytes >= (1 << 20)
                             ? fmt::format("{} MB", body_limit_bytes >> 20)
                             : fmt::format("{} bytes", body_limit_bytes));
    case 414:
      return "the URL is too long; send long IMEI lists with POST /api/v1/orders/search";
    case 431:
      return "the request headers are too large";
    default:
      return "the request failed";
  }
}

}  // namespace

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kTooLarge:
      return 413;
    case StatusCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

void SendJson(HttpResponse& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.SetContent(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void SendError(HttpResponse& res, int status, std::string_view message) {
  if (status == 401) res.SetHeader("WWW-Authenticate", "Bearer realm=\"imeiflow\"");
  SendJson(res, status, {{"error", message}});
}

void SendStatus(HttpResponse& res, const Status& status) {
  int http = HttpStatusFor(status);
  if (http == 500) {
    spdlog::error("web API: {}", status.message());
    SendError(res, 500, "internal error; the server log has the details");
    return;
  }
  SendError(res, http, status.message());
}

bool HandleApiError(const HttpRequest& req, HttpResponse& res, size_t body_limit_bytes) {
  if (!std::string_view(req.path).starts_with(kApiPrefix)) return false;
  if (res.Header("Content-Type") != "application/json") {
    SendError(res, res.status, ReasonFor(res.status, body_limit_bytes));
  }
  return true;
}

}  // namespace imeiflow::web
