// Ascii: case folding of ASCII letters, for matching words that are ASCII by
// contract (config keys, supplier error texts, search words, passwords
// checked against the common list). Bytes outside A-Z pass unchanged, so
// UTF-8 text stays valid, and no locale is consulted.
// Pure functions: safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace imeiflow {

/// `text` with A-Z turned into a-z; every other byte as it was.
std::string AsciiLower(std::string_view text);

}  // namespace imeiflow
