// The --version line both programs print: "imeiflow 0.1.0 (commit abcdef1)".
// Thread-safe (pure).
#pragma once

#include <string>
#include <string_view>

namespace imeiflow {

/// "<program> <version> (commit <commit>)": the version from project()
/// VERSION, the commit from git at configure time ("unknown" without git).
std::string VersionLine(std::string_view program);

}  // namespace imeiflow
