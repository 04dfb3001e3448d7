#include "cli/number_option.h"

#include <fmt/format.h>

#include <charconv>
#include <string>

namespace imeiflow::cli {
namespace {

// Why `text` is not a whole number from `min` to `max`, or "" when it is.
std::string WholeNumberProblem(const std::string& text, int64_t min, int64_t max) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  bool too_big = error == std::errc::result_out_of_range;
  if (!too_big && (error != std::errc() || ptr != end || text.empty())) {
    return fmt::format("must be a whole number (got \"{}\")", text);
  }
  if (too_big && text[0] == '-') return fmt::format("must be {} or more (got {})", min, text);
  if (too_big) return fmt::format("must be at most {} (got {})", max, text);
  if (value < min) return fmt::format("must be {} or more (got {})", min, value);
  if (value > max) return fmt::format("must be at most {} (got {})", max, value);
  return "";
}

}  // namespace

CLI::Validator WholeNumber(int64_t min, int64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) { return WholeNumberProblem(text, min, max); }, "");
}

}  // namespace imeiflow::cli
