// How every command prints: JSON that stays valid whatever the supplier sent,
// and supplier text that cannot act on the operator's terminal.
// Not thread-safe beyond what stdio is; used from main's thread.
#pragma once

#include <string>
#include <string_view>

namespace imeiflow::cli {

/// `value` as JSON text (`indent` as for nlohmann's dump). Invalid UTF-8 in a
/// string (a supplier title can hold any bytes) becomes U+FFFD instead of
/// throwing, so the output is always valid JSON.
template <typename Json>
std::string JsonText(const Json& value, int indent = -1) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

/// Whether standard output is a terminal (then supplier text is escaped).
bool StdoutIsTerminal();

/// Supplier-provided `text` for one cell of a listing on standard output:
/// on a terminal, control characters and bidi overrides escaped
/// (core/terminal_text.h); to a file or a pipe, unchanged.
std::string Shown(std::string_view text);

}  // namespace imeiflow::cli
