// WholeNumber: the check on every whole-number option and argument of the
// commands (--limit, --offset, job ids, --batch-size). CLI11's own checks
// speak in doubles ("not in range 0 ... 1.79e308") and its conversion clamps
// a number beyond the type's range; this one says in plain words what is
// wrong, quoting the value given: "--limit: must be 1 or more (got 0)".
// Not thread-safe; used from main's thread.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>

namespace imeiflow::cli {

/// A validator accepting whole numbers from `min` to `max`.
CLI::Validator WholeNumber(int64_t min, int64_t max);

}  // namespace imeiflow::cli
