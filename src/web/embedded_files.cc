#include "web/embedded_files.h"

namespace imeiflow::web {

std::optional<std::string_view> FindEmbeddedFile(std::string_view path) {
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (file.path == path) return file.bytes;
  }
  return std::nullopt;
}

}  // namespace imeiflow::web
