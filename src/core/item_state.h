// ItemState: where one IMEI of a job stands in the exactly-once state machine
// (design.md, "Exactly-once submission"). A value type.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace imeiflow {

/// The states of one IMEI item of a job.
enum class ItemState {
  kInvalid,              ///< never sent: failed validation
  kSkippedDuplicate,     ///< an order for this IMEI + service already exists locally
  kQueued,               ///< waiting to be sent
  kInFlight,             ///< part of a call whose intent is committed
  kAccepted,             ///< the supplier created an order (id recorded)
  kDuplicate,            ///< the supplier already had it; not charged
  kRejected,             ///< the supplier refused this IMEI
  kUncertain,            ///< a call that may have been applied; awaiting resolution
  kAcceptedUnconfirmed,  ///< charged (the supplier holds it), order id not yet known
  kFailed,               ///< retry budget spent on calls that were not applied
  kCancelled,            ///< cancelled while queued
};

/// Every state, in the order reports list them.
inline constexpr std::array<ItemState, 11> kAllItemStates = {
    ItemState::kInvalid,  ItemState::kSkippedDuplicate, ItemState::kQueued,
    ItemState::kInFlight, ItemState::kAccepted,         ItemState::kDuplicate,
    ItemState::kRejected, ItemState::kUncertain,        ItemState::kAcceptedUnconfirmed,
    ItemState::kFailed,   ItemState::kCancelled};

/// The state's name as stored and printed: "skipped_duplicate", "in_flight", ...
std::string_view ItemStateName(ItemState state);

/// The shop's word for the state, as pages and command tables show it
/// ("waiting", "ordered", "needs review", ...); see docs/ARCHITECTURE.md,
/// "Vocabulary". JSON keeps ItemStateName().
std::string_view ItemStateWord(ItemState state);

/// The state named `name`, if any.
std::optional<ItemState> ParseItemState(std::string_view name);

/// The one rule of which items may end without an order (cancelled, failed):
/// true only for an item that is `queued` and not `after_uncertain`, i.e. no
/// call with it may have been applied. An item in flight, uncertain, or queued
/// to be resent after a call that may have landed (after_uncertain) may
/// already be charged: it ends as an order or in review, never cancelled or
/// failed. Every other state has already ended (false). The store's twin is
/// store::kNoCallMayHaveAppliedSql (job_repository_test.cc proves they agree).
bool NoCallMayHaveApplied(ItemState state, bool after_uncertain);

}  // namespace imeiflow
