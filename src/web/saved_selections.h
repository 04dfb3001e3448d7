// SavedSelections: order searches kept on the server for a while, so that a
// selection too long for a URL (thousands of pasted IMEIs, which the search
// form POSTs) can still be paged and exported through plain links:
// /orders?selection=KEY&page=2, /orders/export.csv?selection=KEY. A key is
// 16 random bytes as hex, valid for its user only, for kSelectionLifetimeMs;
// at most kMaxSavedSelections are kept (the oldest go first). Kept in memory:
// a restart forgets them, and the page then asks to search again.
// Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace imeiflow::web {

/// The fields of a search form, by name.
using SearchFields = std::map<std::string, std::string>;

/// How long a saved selection stays usable.
inline constexpr int64_t kSelectionLifetimeMs = 2 * 3'600'000;
/// How many selections are kept at most, across all users.
inline constexpr size_t kMaxSavedSelections = 200;

/// The saved selections of one server.
class SavedSelections {
 public:
  /// Keeps the search `fields` for `user` and returns their key.
  std::string Save(const std::string& user, const SearchFields& fields, int64_t now_ms);
  /// The fields saved under `key` for `user`, unless unknown, someone
  /// else's, or expired at `now_ms`.
  std::optional<SearchFields> Find(const std::string& key, const std::string& user,
                                   int64_t now_ms);

 private:
  struct Entry {
    std::string key;
    std::string user;
    int64_t saved_at = 0;
    SearchFields fields;
  };
  std::mutex mu_;
  std::deque<Entry> entries_;  // oldest first; guarded by mu_
};

}  // namespace imeiflow::web
