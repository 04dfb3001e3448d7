// ParseRetryAfter: the Retry-After header (RFC 9110) as a delay.
// A pure function; safe from any thread.
#pragma once

#include <chrono>
#include <ctime>
#include <optional>
#include <string_view>

namespace imeiflow::upstream {

/// The delay a Retry-After value asks for: delta-seconds ("120") or an HTTP
/// date ("Wed, 21 Oct 2026 07:28:00 GMT", counted from `now`; a past date is
/// zero). Nothing for a value that is neither.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, std::time_t now);

}  // namespace imeiflow::upstream
