// ReadInput: the bytes of a file named on the command line, or of standard
// input for "-", for the commands that take IMEIs (check, submit, orders).
#pragma once

#include <string>

#include "core/status.h"

namespace imeiflow::cli {

/// Reads all of `path` ("-": standard input) as bytes; errors name the file.
Result<std::string> ReadInput(const std::string& path);

}  // namespace imeiflow::cli
