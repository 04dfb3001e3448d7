#include "web/pending_submissions.h"

#include <algorithm>

#include "web/crypto.h"

namespace imeiflow::web {

std::string PendingSubmissions::Put(PendingSubmission submission, int64_t now_ms) {
  std::string id = RandomHexId();
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(entries_, [&](const auto& e) { return now_ms - e.second.created_ms > ttl_ms_; });
  while (!entries_.empty() && entries_.size() >= capacity_) {
    auto oldest = std::min_element(
        entries_.begin(), entries_.end(),
        [](const auto& a, const auto& b) { return a.second.created_ms < b.second.created_ms; });
    entries_.erase(oldest);
  }
  entries_[id] = Entry{now_ms, std::move(submission)};
  return id;
}

std::optional<PendingSubmission> PendingSubmissions::Take(const std::string& id,
                                                          const std::string& user_name,
                                                          int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.submission.user_name != user_name) return std::nullopt;
  if (now_ms - it->second.created_ms > ttl_ms_) {
    entries_.erase(it);
    return std::nullopt;
  }
  PendingSubmission taken = std::move(it->second.submission);
  entries_.erase(it);
  return taken;
}

size_t PendingSubmissions::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace imeiflow::web
