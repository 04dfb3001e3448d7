// PendingSubmissions: what a submit preview checked, kept on the server
// until the user confirms it, so the confirm form carries only a random id
// instead of the whole input again (an upload may hold 20 MB of IMEIs).
// An entry belongs to the user who made it, is taken once, and expires;
// the store holds a bounded number (the oldest goes first). Entries live in
// memory: a restart loses them and the user previews again.
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/input.h"

namespace imeiflow::web {

/// A checked input waiting for its confirmation.
struct PendingSubmission {
  std::string user_name;   ///< who previewed it; only they can confirm it
  std::string service_id;  ///< the service chosen
  bool recheck = false;    ///< order IMEIs that already have an order too
  std::string source;      ///< the file name, or "paste"
  std::string pasted;      ///< the pasted text, to fill the form in again ("" for an upload)
  CheckReport report;      ///< what ParseImeiInput found
};

/// Previews waiting for confirmation.
class PendingSubmissions {
 public:
  /// Keeps at most `capacity` entries, each for `ttl_ms`.
  explicit PendingSubmissions(size_t capacity = 4, int64_t ttl_ms = 3'600'000)
      : capacity_(capacity), ttl_ms_(ttl_ms) {}

  /// Stores `submission` at `now_ms` and returns its id (64 random hex digits).
  std::string Put(PendingSubmission submission, int64_t now_ms);
  /// Removes and returns entry `id` if it exists, belongs to `user_name` and
  /// has not expired at `now_ms`.
  std::optional<PendingSubmission> Take(const std::string& id, const std::string& user_name,
                                        int64_t now_ms);
  /// Entries held (expired ones included until the next Put).
  size_t size();

 private:
  struct Entry {
    int64_t created_ms = 0;
    PendingSubmission submission;
  };
  const size_t capacity_;
  const int64_t ttl_ms_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // guarded by mu_
};

}  // namespace imeiflow::web
