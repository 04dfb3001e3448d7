#include "core/item_state.h"

namespace imeiflow {

std::string_view ItemStateName(ItemState state) {
  switch (state) {
    case ItemState::kInvalid:
      return "invalid";
    case ItemState::kSkippedDuplicate:
      return "skipped_duplicate";
    case ItemState::kQueued:
      return "queued";
    case ItemState::kInFlight:
      return "in_flight";
    case ItemState::kAccepted:
      return "accepted";
    case ItemState::kDuplicate:
      return "duplicate";
    case ItemState::kRejected:
      return "rejected";
    case ItemState::kUncertain:
      return "uncertain";
    case ItemState::kAcceptedUnconfirmed:
      return "accepted_unconfirmed";
    case ItemState::kFailed:
      return "failed";
    case ItemState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::string_view ItemStateWord(ItemState state) {
  switch (state) {
    case ItemState::kInvalid:
      return "not an IMEI";
    case ItemState::kSkippedDuplicate:
      return "already ordered";
    case ItemState::kQueued:
      return "waiting";
    case ItemState::kInFlight:
      return "being sent";
    case ItemState::kAccepted:
      return "ordered";
    case ItemState::kDuplicate:
      return "already ordered at the supplier";
    case ItemState::kRejected:
      return "refused by the supplier";
    case ItemState::kUncertain:
      return "needs review";
    case ItemState::kAcceptedUnconfirmed:
      return "ordered, order number not known yet";
    case ItemState::kFailed:
      return "failed";
    case ItemState::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::optional<ItemState> ParseItemState(std::string_view name) {
  for (ItemState s : kAllItemStates) {
    if (ItemStateName(s) == name) return s;
  }
  return std::nullopt;
}

bool NoCallMayHaveApplied(ItemState state, bool after_uncertain) {
  return state == ItemState::kQueued && !after_uncertain;
}

}  // namespace imeiflow
