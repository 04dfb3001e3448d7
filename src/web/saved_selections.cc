#include "web/saved_selections.h"

#include "store/token_repository.h"

namespace imeiflow::web {

std::string SavedSelections::Save(const std::string& user, const SearchFields& fields,
                                  int64_t now_ms) {
  std::string key = store::RandomHex(16);
  std::lock_guard<std::mutex> lock(mu_);
  while (!entries_.empty() && (entries_.size() >= kMaxSavedSelections ||
                               entries_.front().saved_at + kSelectionLifetimeMs <= now_ms)) {
    entries_.pop_front();
  }
  entries_.push_back(Entry{key, user, now_ms, fields});
  return key;
}

std::optional<SearchFields> SavedSelections::Find(const std::string& key,
                                                        const std::string& user, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Entry& e : entries_) {
    if (e.key == key && e.user == user && e.saved_at + kSelectionLifetimeMs > now_ms) {
      return e.fields;
    }
  }
  return std::nullopt;
}

}  // namespace imeiflow::web
