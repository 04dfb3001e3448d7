#include "web/api_response.h"

#include <spdlog/spdlog.h>

namespace imeiflow::web {
namespace {

// What an error the library raised itself means, in words.
std::string_view ReasonFor(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 404:
      return "not found";
    case 413:
      return "the request body is too large";
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

void SendJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void SendError(httplib::Response& res, int status, std::string_view message) {
  if (status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"imeiflow\"");
  SendJson(res, status, {{"error", message}});
}

void SendStatus(httplib::Response& res, const Status& status) {
  int http = HttpStatusFor(status);
  if (http == 500) {
    spdlog::error("web API: {}", status.message());
    SendError(res, 500, "internal error; the server log has the details");
    return;
  }
  SendError(res, http, status.message());
}

httplib::Server::HandlerResponse HandleApiError(const httplib::Request& req,
                                                httplib::Response& res) {
  if (!std::string_view(req.path).starts_with(kApiPrefix)) {
    return httplib::Server::HandlerResponse::Unhandled;
  }
  if (res.get_header_value("Content-Type") != "application/json") {
    SendError(res, res.status, ReasonFor(res.status));
  }
  return httplib::Server::HandlerResponse::Handled;
}

}  // namespace imeiflow::web
