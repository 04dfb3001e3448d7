// TimeText: Unix milliseconds as ISO 8601 UTC text ("2026-11-29T04:03:17Z"),
// the form every command, the JSON API and the exports print and parse.
// Pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imeiflow {

/// `ms` as "YYYY-MM-DDTHH:MM:SSZ".
std::string IsoUtc(int64_t ms);

/// `ms` as UTC time in the strftime `layout` ("%Y-%m-%d %H:%M:%S"): every
/// other printed form of a time (exports, pages, spending days) is one of these.
std::string FormatUtc(int64_t ms, const char* layout);

/// Parses "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SS[Z]".
std::optional<int64_t> ParseIsoUtc(std::string_view text);

}  // namespace imeiflow
