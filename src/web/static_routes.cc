#include "web/static_routes.h"

#include "web/embedded_files.h"

namespace imeiflow::web {
namespace {

const char* ContentType(std::string_view path) {
  if (path.ends_with(".css")) return "text/css; charset=utf-8";
  if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (path.ends_with(".svg")) return "image/svg+xml";
  if (path.ends_with(".png")) return "image/png";
  if (path.ends_with(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

// Answers with the embedded file at `path` (404 when there is none).
void ServeEmbedded(const std::string& path, HttpResponse& response) {
  std::optional<std::string_view> bytes = FindEmbeddedFile(path);
  if (!bytes) {
    response.status = 404;
    return;
  }
  // Pages link assets with ?v=<digest>, so a new build is fetched at once.
  response.SetHeader("Cache-Control", "public, max-age=86400");
  response.SetContent(std::string(*bytes), ContentType(path));
}

}  // namespace

void RegisterStaticRoutes(Router& server) {
  server.Get(R"(/static/([A-Za-z0-9_.-]+))",
             [](const HttpRequest& request, HttpResponse& response) {
               ServeEmbedded("static/" + request.matches[1], response);
             });
  server.Get("/favicon.ico", [](const HttpRequest&, HttpResponse& response) {
    ServeEmbedded("static/favicon.ico", response);
  });
}

}  // namespace imeiflow::web
