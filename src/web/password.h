// Password hashing with argon2id (libsodium's crypto_pwhash_str): the stored
// string carries its own salt and cost, so verification needs nothing else.
// A new password must pass NewPasswordProblem: long enough, not blank, not
// one character or a short pattern repeated, not on the list of common
// passwords compiled into the program (src/web/data/common_passwords.txt).
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

/// "" when `password` may be set, else which rule it breaks, saying the
/// minimum length: shorter than kMinPasswordLength, only blanks, one
/// character or a pattern of up to 4 repeated ("abcabcabc"), or a common
/// password (case ignored, also with trailing digits and punctuation taken
/// off: "Password123!" is "password").
std::string NewPasswordProblem(std::string_view password);

/// Hashes `password` into the "$argon2id$..." string the users table stores.
/// InvalidArgument when NewPasswordProblem refuses it; Internal when the
/// system is out of memory.
Result<std::string> HashPassword(std::string_view password,
                                 PasswordCost cost = PasswordCost::kInteractive);

/// Whether `password` matches `stored_hash` (false for a malformed hash).
bool VerifyPassword(const std::string& stored_hash, std::string_view password);

}  // namespace imeiflow::web
