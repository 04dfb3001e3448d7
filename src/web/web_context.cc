#include "web/web_context.h"

#include "web/crypto.h"
#include "web/embedded_files.h"

namespace imeiflow::web {
namespace {

// Enough idle connections for the server's worker threads (server.cc sets the count).
constexpr size_t kIdleConnections = 32;

std::string AssetVersion() {
  std::string all;
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (file.path.starts_with("static/")) all.append(file.bytes);
  }
  return Sha256Hex(all).substr(0, 12);
}

store::SessionLimits LimitsFrom(const WebConfig& web) {
  return {.idle_ms = int64_t{web.session_idle_min} * 60'000,
          .max_age_ms = int64_t{web.session_max_hours} * 3'600'000};
}

}  // namespace

Result<std::unique_ptr<WebContext>> WebContext::Create(Config config, std::string db_path,
                                                       const Clock& clock) {
  Result<TemplateRenderer> renderer = TemplateRenderer::FromEmbedded();
  if (!renderer.ok()) return renderer.status();
  return std::unique_ptr<WebContext>(
      new WebContext(std::move(config), std::move(db_path), clock, std::move(*renderer)));
}

WebContext::WebContext(Config config, std::string db_path, const Clock& clock,
                       TemplateRenderer renderer)
    : config(std::move(config)),
      db_path(std::move(db_path)),
      clock(clock),
      renderer(std::move(renderer)),
      session_limits(LimitsFrom(this->config.web)),
      asset_version(AssetVersion()),
      connections(this->db_path, kIdleConnections) {}

}  // namespace imeiflow::web
