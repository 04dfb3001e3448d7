// PendingSubmissions: what a submit preview checked, kept on the server
// until the user confirms it, so the confirm form carries only a random id
// instead of the whole input again (an upload may hold 20 MB of IMEIs).
// An entry belongs to the user who made it, is taken once, and expires.
// Each user has a quota (their oldest preview makes room for a new one) and
// the server a much higher ceiling (the oldest of all goes), so one user's
// previews never push out another's while the server is not crowded. What
// became of an id that can no longer be taken is remembered for a while,
// so the confirm page can say so truly. Entries live in memory: a restart
// loses them and the user previews again.
// Thread-safe (one mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/input.h"
#include "store/job_sheet.h"

namespace imeiflow::web {

/// A checked input waiting for its confirmation.
struct PendingSubmission {
  std::string user_name;   ///< who previewed it; only they can confirm it
  std::string service_id;  ///< the service chosen
  bool recheck = false;    ///< order IMEIs that already have an order too
  std::string source;      ///< the file name, or "paste"
  std::string pasted;      ///< the pasted text, to fill the form in again ("" for an upload)
  CheckReport report;      ///< what ParseImeiInput found
  /// The uploaded CSV or XLSX's rows, kept with the job (store/job_sheet.h);
  /// nothing for a paste.
  std::optional<store::UploadedSheet> sheet;
};

/// How many previews wait, and how long.
struct PendingLimits {
  size_t per_user = 4;         ///< previews one user may have waiting
  size_t total = 64;           ///< previews the server holds in all
  int64_t ttl_ms = 3'600'000;  ///< how long a preview waits
};

/// What a Take is for, so a later attempt can be told what became of it.
enum class PendingUse {
  kConfirm,  ///< the job is created from it
  kEdit,     ///< it goes back to the form
};

/// Previews waiting for confirmation.
class PendingSubmissions {
 public:
  /// Keeps entries within `limits`.
  explicit PendingSubmissions(PendingLimits limits = {}) : limits_(limits) {}

  /// Stores `submission` at `now_ms` and returns its id (64 random hex
  /// digits); the user's oldest preview goes when they are at their quota.
  std::string Put(PendingSubmission submission, int64_t now_ms);
  /// Removes and returns entry `id` if it exists, belongs to `user_name` and
  /// has not expired at `now_ms`.
  std::optional<PendingSubmission> Take(const std::string& id, const std::string& user_name,
                                        int64_t now_ms, PendingUse use = PendingUse::kConfirm);
  /// Why `user_name` cannot take `id` at `now_ms`, as a sentence for the
  /// page: expired after N minutes, replaced by a newer preview of theirs,
  /// already confirmed, another user's, or unknown (e.g. after a restart).
  std::string WhyNotAvailable(const std::string& id, const std::string& user_name, int64_t now_ms);
  /// Entries held (expired ones included until the next Put).
  size_t size();

 private:
  struct Entry {
    int64_t created_ms = 0;
    PendingSubmission submission;
  };
  enum class Fate { kExpired, kReplaced, kCrowdedOut, kConfirmed, kEdited };
  struct Gone {
    std::string user_name;
    Fate fate = Fate::kExpired;
    int64_t at_ms = 0;
  };
  // Removes `it`, remembering `fate` at `now_ms`; moves the submission to
  // `*taken` when given. Requires mu_.
  void Drop(std::map<std::string, Entry>::iterator it, Fate fate, int64_t now_ms,
            PendingSubmission* taken = nullptr);
  // The oldest entry, of `*user_name` or (nullptr) of anyone. Requires mu_.
  std::map<std::string, Entry>::iterator Oldest(const std::string* user_name);
  size_t CountOf(const std::string& user_name) const;  // requires mu_
  void ForgetOldFates(int64_t now_ms);                 // requires mu_

  const PendingLimits limits_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_;  // guarded by mu_
  std::map<std::string, Gone> gone_;      // guarded by mu_: what became of recent ids
};

}  // namespace imeiflow::web
