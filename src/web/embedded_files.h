// EmbeddedFiles: the templates (src/web/templates) and static assets
// (src/web/static) compiled into the program by cmake/EmbedFiles.cmake, so
// `imeiflow serve` needs no files beside the binary. Read-only data: safe
// from any thread.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace imeiflow::web {

/// One embedded file.
struct EmbeddedFile {
  std::string_view path;   ///< relative to src/web, e.g. "static/app.css"
  std::string_view bytes;  ///< its contents
};

/// Every embedded file, sorted by path (defined in the generated source).
std::span<const EmbeddedFile> EmbeddedFiles();

/// The contents of the embedded file at `path`, if there is one.
std::optional<std::string_view> FindEmbeddedFile(std::string_view path);

}  // namespace imeiflow::web
