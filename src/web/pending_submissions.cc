#include "web/pending_submissions.h"

#include <fmt/format.h>

#include <algorithm>

#include "web/crypto.h"

namespace imeiflow::web {
namespace {

// How many fates are remembered, per preview the server may hold: enough
// for every preview of a busy hour without growing without bound.
constexpr size_t kFatesPerEntry = 4;

std::string MinutesText(int64_t ms) {
  int64_t minutes = std::max<int64_t>(1, ms / 60'000);
  return minutes == 1 ? "1 minute" : fmt::format("{} minutes", minutes);
}

}  // namespace

std::string PendingSubmissions::Put(PendingSubmission submission, int64_t now_ms) {
  std::string id = RandomHexId();
  const std::string user = submission.user_name;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (now_ms - it->second.created_ms > limits_.ttl_ms) Drop(it, Fate::kExpired, now_ms);
    it = next;
  }
  for (size_t mine = CountOf(user); mine > 0 && mine >= limits_.per_user; --mine) {
    Drop(Oldest(&user), Fate::kReplaced, now_ms);
  }
  while (!entries_.empty() && entries_.size() >= limits_.total) {
    Drop(Oldest(nullptr), Fate::kCrowdedOut, now_ms);
  }
  ForgetOldFates(now_ms);
  entries_[id] = Entry{now_ms, std::move(submission)};
  return id;
}

std::optional<PendingSubmission> PendingSubmissions::Take(const std::string& id,
                                                          const std::string& user_name,
                                                          int64_t now_ms, PendingUse use) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.submission.user_name != user_name) return std::nullopt;
  if (now_ms - it->second.created_ms > limits_.ttl_ms) {
    Drop(it, Fate::kExpired, now_ms);
    return std::nullopt;
  }
  PendingSubmission taken;
  Drop(it, use == PendingUse::kConfirm ? Fate::kConfirmed : Fate::kEdited, now_ms, &taken);
  return taken;
}

std::string PendingSubmissions::WhyNotAvailable(const std::string& id, const std::string& user_name,
                                                int64_t now_ms) {
  const std::string again = "no job was created from it. Preview the IMEIs again.";
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<Fate> fate;
  if (auto entry = entries_.find(id); entry != entries_.end()) {
    if (entry->second.submission.user_name != user_name) {
      return "That preview belongs to another user: " + again;
    }
    if (now_ms - entry->second.created_ms > limits_.ttl_ms) fate = Fate::kExpired;
  } else if (auto gone = gone_.find(id); gone != gone_.end()) {
    if (gone->second.user_name != user_name) {
      return "That preview belongs to another user: " + again;
    }
    fate = gone->second.fate;
  }
  if (!fate) {
    return "There is no such preview (previews are forgotten when the server restarts): " + again;
  }
  switch (*fate) {
    case Fate::kExpired:
      return fmt::format("That preview expired after {}: {}", MinutesText(limits_.ttl_ms), again);
    case Fate::kReplaced:
      return fmt::format(
          "That preview was replaced by a newer preview of yours (at most {} "
          "wait at a time): {}",
          limits_.per_user, again);
    case Fate::kCrowdedOut:
      return fmt::format(
          "That preview was dropped because {} previews were waiting on the "
          "server: {}",
          limits_.total, again);
    case Fate::kConfirmed:
      return "That preview was already confirmed: its job was created then (see Jobs), and no "
             "second job was created.";
    case Fate::kEdited:
      return "That preview was sent back to the form to be edited: " + again;
  }
  return again;
}

size_t PendingSubmissions::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

void PendingSubmissions::Drop(std::map<std::string, Entry>::iterator it, Fate fate, int64_t now_ms,
                              PendingSubmission* taken) {
  gone_[it->first] = Gone{it->second.submission.user_name, fate, now_ms};
  if (taken) *taken = std::move(it->second.submission);
  entries_.erase(it);
}

std::map<std::string, PendingSubmissions::Entry>::iterator PendingSubmissions::Oldest(
    const std::string* user_name) {
  auto oldest = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (user_name && it->second.submission.user_name != *user_name) continue;
    if (oldest == entries_.end() || it->second.created_ms < oldest->second.created_ms) oldest = it;
  }
  return oldest;
}

size_t PendingSubmissions::CountOf(const std::string& user_name) const {
  return static_cast<size_t>(std::count_if(entries_.begin(), entries_.end(), [&](const auto& e) {
    return e.second.submission.user_name == user_name;
  }));
}

// Fates older than a preview's lifetime answer no one any more; beyond the
// bound the oldest go first.
void PendingSubmissions::ForgetOldFates(int64_t now_ms) {
  std::erase_if(gone_, [&](const auto& g) { return now_ms - g.second.at_ms > limits_.ttl_ms; });
  const size_t bound = limits_.total * kFatesPerEntry;
  while (gone_.size() > bound) {
    auto oldest = std::min_element(gone_.begin(), gone_.end(), [](const auto& a, const auto& b) {
      return a.second.at_ms < b.second.at_ms;
    });
    gone_.erase(oldest);
  }
}

}  // namespace imeiflow::web
