#include "store/item_transitions.h"

#include <fmt/format.h>

namespace imeiflow::store {
namespace {

// Whether the state machine has an edge from `from` to `to`.
bool IsEdge(ItemState from, ItemState to) {
  using S = ItemState;
  switch (from) {
    case S::kQueued:  // sent, cancelled, or (cancelled job, resend) to review
      return to == S::kInFlight || to == S::kCancelled || to == S::kUncertain;
    case S::kInFlight:  // the answer of its call
      return to == S::kQueued || to == S::kAccepted || to == S::kDuplicate || to == S::kRejected ||
             to == S::kUncertain || to == S::kAcceptedUnconfirmed || to == S::kFailed;
    case S::kUncertain:  // resent, a review decision, or proven by an import
      return to == S::kQueued || to == S::kAccepted || to == S::kAcceptedUnconfirmed ||
             to == S::kCancelled;
    case S::kAcceptedUnconfirmed:  // its order id learnt from an import
      return to == S::kAccepted;
    case S::kFailed:  // retried with a fresh budget
      return to == S::kQueued;
    case S::kInvalid:  // the rest have ended
    case S::kSkippedDuplicate:
    case S::kAccepted:
    case S::kDuplicate:
    case S::kRejected:
    case S::kCancelled:
      return false;
  }
  return false;
}

// Whether `to` ends an item without an order.
bool EndsWithoutOrder(ItemState to) {
  return to == ItemState::kCancelled || to == ItemState::kFailed;
}

// Whether moving from `from` to `to` must check the one rule: an item that is
// or was being sent ends without an order only if no call may have applied
// it. (From uncertain, only a person's review decision cancels.)
bool NeedsNoCallRule(ItemState from, ItemState to) {
  return EndsWithoutOrder(to) && from != ItemState::kUncertain;
}

Status Forbidden(ItemState from, ItemState to, std::string_view why) {
  return Status::Internal(fmt::format("item state machine: {} -> {} is forbidden{}",
                                      ItemStateName(from), ItemStateName(to), why));
}

// The columns of a move; ?1 names the rows, ?2 ... ?10 as BindChange binds.
constexpr std::string_view kSetColumns =
    "UPDATE items SET state = ?2, updated_at = ?3, reason = coalesce(?4, reason),"
    " not_before = coalesce(?5, not_before), after_uncertain = coalesce(?6, after_uncertain),"
    " alone = coalesce(?7, alone), order_id = coalesce(?8, order_id),"
    " call_id = coalesce(?9, call_id), attempts = coalesce(?10, attempts)";

std::optional<int64_t> AsInt(const std::optional<bool>& b) {
  if (!b) return std::nullopt;
  return int64_t{*b};
}

}  // namespace

Status CheckTransition(ItemState from, ItemState to, bool after_uncertain) {
  if (!IsEdge(from, to)) return Forbidden(from, to, "");
  // The state before a call is queued: the rule asks about that one.
  if (NeedsNoCallRule(from, to) && !NoCallMayHaveApplied(ItemState::kQueued, after_uncertain)) {
    return Forbidden(from, to, ": an earlier call may have applied it (after_uncertain)");
  }
  return Status::Ok();
}

void ItemTransitions::BindChange(Statement& update, ItemState to, const ItemChange& change,
                                 int64_t now_ms) {
  update.Bind(2, ItemStateName(to)).Bind(3, now_ms);
  if (change.reason) {
    update.Bind(4, *change.reason);
  } else {
    update.BindNull(4);
  }
  update.Bind(5, change.not_before)
      .Bind(6, AsInt(change.after_uncertain))
      .Bind(7, AsInt(change.alone))
      .Bind(8, change.order_id)
      .Bind(9, change.call_id)
      .Bind(10, change.attempts);
}

Result<bool> ItemTransitions::Move(int64_t item_id, ItemState from, ItemState to,
                                   const ItemChange& change, int64_t now_ms) {
  if (Status s = CheckTransition(from, to, false); !s.ok()) return s;
  const bool guarded = NeedsNoCallRule(from, to);
  Result<Statement*> move = db_.PrepareCached(
      move_, fmt::format("{} WHERE id = ?1 AND state = ?11 AND (?12 = 0 OR after_uncertain = 0)",
                         kSetColumns));
  if (!move.ok()) return move.status();
  Statement& update = **move;
  update.Bind(1, item_id);
  BindChange(update, to, change, now_ms);
  update.Bind(11, ItemStateName(from)).Bind(12, int64_t{guarded});
  if (Status s = update.Run(); !s.ok()) return s;
  if (db_.Changes() == 1) return true;
  if (!guarded) return false;
  // Not moved: either no longer in `from`, or the rule refused it (loudly).
  Result<Statement*> read =
      db_.PrepareCached(read_, "SELECT after_uncertain FROM items WHERE id = ?1 AND state = ?2");
  if (!read.ok()) return read.status();
  (*read)->Bind(1, item_id).Bind(2, ItemStateName(from));
  Result<bool> found = (*read)->Step();
  if (!found.ok()) return found.status();
  bool after_uncertain = *found && (*read)->ColumnInt(0) != 0;
  (*read)->Reset();
  if (!*found) return false;
  if (Status s = CheckTransition(from, to, after_uncertain); !s.ok()) {
    return Status::Internal(fmt::format("item {}: {}", item_id, s.message()));
  }
  return false;
}

Result<int64_t> ItemTransitions::MoveAll(std::optional<int64_t> job_id, ItemState from,
                                         ItemState to, const ItemChange& change, int64_t now_ms) {
  if (Status s = CheckTransition(from, to, false); !s.ok()) return s;
  const bool guarded = NeedsNoCallRule(from, to);
  if (guarded && from != ItemState::kQueued) {
    return Forbidden(from, to, " for many items at once: answers end items one by one");
  }
  std::string_view rule = guarded ? kNoCallMayHaveAppliedSql : "1";
  Result<Statement> update = db_.Prepare(fmt::format(
      "{} WHERE (?1 IS NULL OR job_id = ?1) AND state = ?11 AND {}", kSetColumns, rule));
  if (!update.ok()) return update.status();
  update->Bind(1, job_id);
  BindChange(*update, to, change, now_ms);
  update->Bind(11, ItemStateName(from));
  if (Status s = update->Run(); !s.ok()) return s;
  return int64_t{db_.Changes()};
}

}  // namespace imeiflow::store
