// Password hashing with argon2id (libsodium's crypto_pwhash_str): the stored
// string carries its own salt and cost, so verification needs nothing else.
// Thread-safe (each call is independent; a hash at kInteractive cost takes
// about 64 MiB of memory and a tenth of a second).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace imeiflow::web {

/// How expensive a new hash is.
enum class PasswordCost {
  kInteractive,  ///< libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE: production
  kMinimum,      ///< the smallest limits libsodium allows: tests only
};

/// Passwords shorter than this are refused when set.
inline constexpr size_t kMinPasswordLength = 8;

/// Hashes `password` into the "$argon2id$..." string the users table stores.
/// Fails when the password is too short or the system is out of memory.
Result<std::string> HashPassword(std::string_view password,
                                 PasswordCost cost = PasswordCost::kInteractive);

/// Whether `password` matches `stored_hash` (false for a malformed hash).
bool VerifyPassword(const std::string& stored_hash, std::string_view password);

}  // namespace imeiflow::web
