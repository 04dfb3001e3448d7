#include "web/session_flash.h"

#include <utility>

namespace imeiflow::web {

void SecretFlash::Put(const std::string& session_id_hash, FlashFields fields, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  ForgetOld(now_ms);
  entries_[session_id_hash] = Entry{std::move(fields), now_ms};
}

std::optional<FlashFields> SecretFlash::Take(const std::string& session_id_hash, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  ForgetOld(now_ms);
  auto found = entries_.find(session_id_hash);
  if (found == entries_.end()) return std::nullopt;
  FlashFields fields = std::move(found->second.fields);
  entries_.erase(found);
  return fields;
}

void SecretFlash::ForgetOld(int64_t now_ms) {
  // Bounded by the sessions that created a token in the last ten minutes.
  std::erase_if(entries_, [now_ms](const auto& entry) {
    return now_ms - entry.second.put_at >= kSecretFlashTtlMs;
  });
}

}  // namespace imeiflow::web
