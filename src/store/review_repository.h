// ReviewRepository: uncertain items waiting for a person (design rule 5,
// where the supplier is not known to refuse duplicates), and the decisions
// people record, each audited with who and when.
//
// An item whose IMEI + service already has an order that is not rejected
// (e.g. imported from the supplier's export) is shown with that order.
// `submitted` then links the item to it instead of creating a second order,
// and charges only when that order's price is not counted yet (an imported
// order has no job; it joins the item's job); `resend` and `cancel` are
// refused for it (a resend would pay again, a cancel would drop a paid
// order).
// Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// An order that already exists for an item's IMEI + service.
struct ExistingOrder {
  int64_t id = 0;      ///< the order
  std::string status;  ///< its stored status: pending, in_process, completed, unconfirmed
};

/// One uncertain item.
struct ReviewItem {
  int64_t item_id = 0;                 ///< the item
  int64_t job_id = 0;                  ///< its job
  std::string imei;                    ///< 15 digits
  std::string service_id;              ///< the job's service
  std::string reason;                  ///< why it is uncertain
  int64_t since = 0;                   ///< Unix ms it became uncertain
  int attempts = 0;                    ///< calls it was part of
  std::optional<ExistingOrder> order;  ///< an order of its IMEI + service, if one exists
};

/// What a person decided about uncertain items.
enum class ReviewDecision {
  kSubmitted,  ///< the supplier has it (seen in their panel): accepted_unconfirmed
  kResend,     ///< it did not land: queue it again (a person takes the risk)
  kCancel,     ///< do not order it: cancelled
};

/// Which uncertain items to list: one job's or all, a page of them.
struct ReviewFilter {
  std::optional<int64_t> job_id;  ///< only this job's items
  int64_t offset = 0;             ///< items to skip
  int64_t limit = -1;             ///< at most this many; -1: all
};

/// Why an item needs review, in the shop's words, from its stored reason
/// (the transport's or the answer's raw text): "no answer from the supplier
/// in 60 s after sending", "connection dropped after sending", ...
/// `timeout_s` is the configured call timeout; the raw text is kept apart
/// for those who need it.
std::string ReviewReasonText(std::string_view raw, int timeout_s);

/// Parses "submitted", "resend" or "cancel".
std::optional<ReviewDecision> ParseReviewDecision(std::string_view text);

/// The review queue.
class ReviewRepository {
 public:
  /// Uses `db` for every call; `db` must outlive the repository.
  explicit ReviewRepository(Database& db) : db_(db) {}

  /// How many items await review (of job `job_id`, when given).
  Result<int64_t> Count(std::optional<int64_t> job_id = std::nullopt);
  /// Uncertain items, oldest first.
  Result<std::vector<ReviewItem>> List(int64_t limit);
  /// Uncertain items of `filter`, grouped by job (oldest job first), each
  /// job's oldest first: a page of the review page.
  Result<std::vector<ReviewItem>> ListByJob(const ReviewFilter& filter);
  /// Applies `decision` to uncertain item `item_id` (or, with `job_id`, to
  /// every uncertain item of that job), audited as `actor`. Returns how many
  /// items it changed. `resend` or `cancel` of an item whose IMEI + service
  /// has an order is refused (kInvalidArgument); for a job such items are
  /// left awaiting review and counted in `left_with_order` when given.
  Result<int64_t> Decide(std::optional<int64_t> item_id, std::optional<int64_t> job_id,
                         ReviewDecision decision, const std::string& actor, int64_t now_ms,
                         int64_t* left_with_order = nullptr);

 private:
  Database& db_;
};

}  // namespace imeiflow::store
