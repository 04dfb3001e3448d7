// TemplateRenderer: renders the mustache templates of src/web/templates
// (embedded in the program) with kainjow::mustache. {{x}} is HTML-escaped;
// only the layout uses {{{content}}}, for the page it wraps, which was itself
// rendered with escaping. A missing template or a syntax error is a Status,
// never a half page.
// Thread-safe: templates are parsed again for each render (they are small),
// so no mustache object is shared between threads.
#pragma once

#include <kainjow/mustache.hpp>
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace imeiflow::web {

/// The values a template sees.
using TemplateData = kainjow::mustache::data;

/// Renders named templates.
class TemplateRenderer {
 public:
  /// Templates by name ("login" for templates/login.mustache).
  explicit TemplateRenderer(std::map<std::string, std::string, std::less<>> templates);
  /// The templates embedded in the program; fails when one does not parse.
  static Result<TemplateRenderer> FromEmbedded();

  /// Renders template `name` with `data`.
  Result<std::string> Render(std::string_view name, const TemplateData& data) const;
  /// Whether a template called `name` exists.
  bool Has(std::string_view name) const;

 private:
  std::map<std::string, std::string, std::less<>> templates_;
};

}  // namespace imeiflow::web
