#include "web/job_sheet_routes.h"

#include <charconv>
#include <optional>

#include "web/order_download.h"
#include "web/page.h"

namespace imeiflow::web {
namespace {

std::optional<int64_t> JobIdOf(const std::string& text) {
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

void DownloadSheet(PageRequest& page) {
  std::optional<int64_t> id = JobIdOf(page.request.matches[1]);
  if (!id) return page.ErrorPage(404, "Job not found", "No such job.");
  Status sent = SendJobSheet(page.db, *id, page.Field("format"), page.response);
  if (sent.code() == StatusCode::kNotFound) {
    return page.ErrorPage(404, "No sheet for this job", sent.message());
  }
  if (sent.code() == StatusCode::kInvalidArgument) {
    return page.ErrorPage(400, "Sheet not made", sent.message());
  }
  if (!sent.ok()) page.Fail(sent);
}

}  // namespace

void RegisterJobSheetRoutes(Router& server, WebContext& web) {
  RouteGet(server, web, R"(/jobs/(\d+)/sheet)", Role::kViewer, DownloadSheet);
}

}  // namespace imeiflow::web
