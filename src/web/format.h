// Text for pages: counts with thousands separators ("6,000"), times in UTC
// ("2026-11-29 04:03 UTC"), how long ago ("12 s ago"), whole percentages;
// and the numbers pages read back from links (ids, page numbers).
// Pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imeiflow::web {

/// 6000 -> "6,000"; -1234 -> "-1,234".
std::string WithThousands(int64_t n);

/// Unix ms as "YYYY-MM-DD HH:MM UTC".
std::string UtcText(int64_t ms);

/// How long before `now_ms` the time `then_ms` was: "just now", "45 s ago",
/// "12 min ago", "3 h ago", "2 days ago" (a future time reads "just now").
std::string AgoText(int64_t then_ms, int64_t now_ms);

/// `text` as a whole number of 1 or more; nullopt for anything else
/// (signs, spaces, fractions, beyond int64).
std::optional<int64_t> PositiveNumber(std::string_view text);

/// The 1-based page `text` asks for among `rows_total` rows shown `per_page`
/// at a time: 1 when absent or not a number, the last page when beyond it.
int64_t ClampedPage(std::string_view text, int64_t rows_total, int64_t per_page);

/// `part` of `whole` as a whole percentage, rounded down, 0..100 (0 when whole is 0).
int PercentOf(int64_t part, int64_t whole);

}  // namespace imeiflow::web
