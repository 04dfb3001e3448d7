// TerminalText: supplier-provided text made harmless for a terminal. A
// supplier code or service title can hold ESC sequences (which move the
// cursor, retitle the window or rewrite what was printed), BEL, or bidi
// overrides (U+202E shows "gpj.exe" as "exe.jpg"); printed raw they would act
// on the operator's terminal. Here such characters are shown escaped instead:
// `\x1b`, `\x7f`, `\u0085`, `\u202e`; bytes that are not UTF-8 as `\xff`; a
// backslash stays as it is. Everything else passes unchanged.
// Pure functions: safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace imeiflow {

/// Whether line feeds pass through (a listing of several lines, such as CSV)
/// or are escaped too (one cell of a table).
enum class LineBreaks { kEscape, kKeep };

/// `text` with control characters (C0, DEL, C1), bidi overrides and isolates
/// (U+202A-U+202E, U+2066-U+2069) and invalid UTF-8 bytes escaped.
std::string TerminalSafe(std::string_view text, LineBreaks line_breaks = LineBreaks::kEscape);

}  // namespace imeiflow
