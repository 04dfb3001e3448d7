#include "web/password.h"

#include <fmt/format.h>
#include <sodium.h>

#include "web/crypto.h"

namespace imeiflow::web {

Result<std::string> HashPassword(std::string_view password, PasswordCost cost) {
  if (password.size() < kMinPasswordLength) {
    return Status::InvalidArgument(
        fmt::format("the password is too short (at least {} characters)", kMinPasswordLength));
  }
  EnsureSodium();
  const bool minimum = cost == PasswordCost::kMinimum;
  unsigned long long ops =
      minimum ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = minimum ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("password hashing failed (out of memory?)");
  }
  return std::string(hash);
}

bool VerifyPassword(const std::string& stored_hash, std::string_view password) {
  EnsureSodium();
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace imeiflow::web
