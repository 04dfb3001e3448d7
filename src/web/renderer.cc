#include "web/renderer.h"

#include <fmt/format.h>

#include "web/embedded_files.h"

namespace imeiflow::web {
namespace {

constexpr std::string_view kPrefix = "templates/";
constexpr std::string_view kSuffix = ".mustache";

}  // namespace

TemplateRenderer::TemplateRenderer(std::map<std::string, std::string, std::less<>> templates)
    : templates_(std::move(templates)) {}

Result<TemplateRenderer> TemplateRenderer::FromEmbedded() {
  std::map<std::string, std::string, std::less<>> templates;
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    std::string_view path = file.path;
    if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix)) continue;
    std::string name(path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size()));
    kainjow::mustache::mustache parsed{std::string(file.bytes)};
    if (!parsed.is_valid()) {
      return Status::Internal(fmt::format("template {}: {}", path, parsed.error_message()));
    }
    templates.emplace(std::move(name), std::string(file.bytes));
  }
  return TemplateRenderer(std::move(templates));
}

Result<std::string> TemplateRenderer::Render(std::string_view name,
                                             const TemplateData& data) const {
  auto it = templates_.find(name);
  if (it == templates_.end()) return Status::NotFound(fmt::format("no template \"{}\"", name));
  kainjow::mustache::mustache tmpl{it->second};
  if (!tmpl.is_valid()) {
    return Status::Internal(fmt::format("template {}: {}", name, tmpl.error_message()));
  }
  std::string out = tmpl.render(data);
  if (!tmpl.error_message().empty()) {
    return Status::Internal(fmt::format("template {}: {}", name, tmpl.error_message()));
  }
  return out;
}

bool TemplateRenderer::Has(std::string_view name) const { return templates_.contains(name); }

}  // namespace imeiflow::web
