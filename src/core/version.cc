#include "core/version.h"

#include <fmt/format.h>

#include "imeiflow_version.h"

namespace imeiflow {

std::string VersionLine(std::string_view program) {
  return fmt::format("{} {} (commit {})", program, kVersion, kCommit);
}

}  // namespace imeiflow
