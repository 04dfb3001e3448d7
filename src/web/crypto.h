// Small cryptographic helpers on libsodium for sessions, CSRF tokens and API
// tokens: random 256-bit identifiers, SHA-256 digests (what the database
// stores instead of a secret) and a constant-time comparison.
// Thread-safe: libsodium is initialised once, on first use.
#pragma once

#include <string>
#include <string_view>

namespace imeiflow::web {

/// 32 random bytes from the operating system's CSPRNG as 64 lowercase hex digits.
std::string RandomHexId();

/// The SHA-256 digest of `text` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view text);

/// Whether `a` equals `b`, taking the same time wherever they differ (for
/// comparing secrets such as CSRF tokens). Different lengths are unequal.
bool SecureEquals(std::string_view a, std::string_view b);

/// Initialises libsodium (idempotent). Aborts the process if the operating
/// system offers no randomness, which nothing here can work without.
void EnsureSodium();

}  // namespace imeiflow::web
