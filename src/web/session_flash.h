// SecretFlash: what a page must show once, to the session it was made for,
// and never again: the secret of a new API token. POST /admin/tokens puts
// it here and redirects (post/redirect/get); the GET page takes it, so a
// reload shows nothing and creates nothing. It stays in this process's
// memory only (never in a URL, cookie, log or the database) and is
// forgotten after kSecretFlashTtlMs if no page takes it; a restart forgets
// it too (the token can then only be revoked and made anew).
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace imeiflow::web {

/// How long an untaken flash is kept.
inline constexpr int64_t kSecretFlashTtlMs = 10 * 60'000;

/// The fields of one flash, by name (e.g. "id", "user", "secret").
using FlashFields = std::map<std::string, std::string>;

/// One-shot values per session.
class SecretFlash {
 public:
  /// Keeps `fields` for the session `session_id_hash`, replacing what it had.
  void Put(const std::string& session_id_hash, FlashFields fields, int64_t now_ms);
  /// The fields kept for `session_id_hash`, removed as they are returned;
  /// nothing when none were kept, they were taken, or they are too old.
  std::optional<FlashFields> Take(const std::string& session_id_hash, int64_t now_ms);

 private:
  struct Entry {
    FlashFields fields;
    int64_t put_at = 0;
  };
  void ForgetOld(int64_t now_ms);  // needs mu_

  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // by session id hash; guarded by mu_
};

}  // namespace imeiflow::web
