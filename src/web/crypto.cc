#include "web/crypto.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace imeiflow::web {
namespace {

std::string ToHex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();  // sodium_bin2hex writes a terminating NUL
  return hex;
}

}  // namespace

void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("imeiflow: libsodium could not initialise (no system randomness)\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

std::string RandomHexId() {
  EnsureSodium();
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  return ToHex(bytes, sizeof bytes);
}

std::string Sha256Hex(std::string_view text) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  return ToHex(digest, sizeof digest);
}

bool SecureEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace imeiflow::web
