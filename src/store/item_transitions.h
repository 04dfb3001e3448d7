// ItemTransitions: the one place where an item's state changes. Every
// repository that moves items (dispatch, cancel, retry, review, import) calls
// it, so the allowed transitions of core's state machine (item_state.h) are
// checked in one place, and so is the rule that an item ends without an order
// (cancelled, failed) only when no call may have applied it.
//
// A transition the state machine forbids is a bug in the caller: it returns
// Internal and changes nothing; callers propagate it, which rolls their
// transaction back. Not thread-safe: one per Database connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/item_state.h"
#include "core/status.h"
#include "store/database.h"

namespace imeiflow::store {

/// The SQL twin of core's NoCallMayHaveApplied (an `items` row that is queued
/// and not after_uncertain): ItemTransitions::MoveAll ends without an order
/// only rows matching it (job_repository_test.cc proves the twins agree).
inline constexpr std::string_view kNoCallMayHaveAppliedSql =
    "(items.state = 'queued' AND items.after_uncertain = 0)";

/// Whether the state machine lets an item go from `from` to `to`: ok, or
/// Internal naming both. An end without an order (cancelled, failed) from
/// queued or in flight also needs `after_uncertain` false (no earlier call
/// may have landed); uncertain -> cancelled is a person's review decision.
Status CheckTransition(ItemState from, ItemState to, bool after_uncertain);

/// The columns a transition sets besides state and updated_at; unset ones
/// keep their value.
struct ItemChange {
  std::optional<std::string> reason;    ///< why it is in its new state
  std::optional<int64_t> not_before;    ///< earliest next send (Unix ms)
  std::optional<bool> after_uncertain;  ///< an earlier call may have been applied
  std::optional<bool> alone;            ///< send it in a call of its own
  std::optional<int64_t> order_id;      ///< the local order it now has
  std::optional<int64_t> call_id;       ///< the call it is part of
  std::optional<int64_t> attempts;      ///< calls it has been part of
};

/// Moves items between states, checking every move against the state machine.
class ItemTransitions {
 public:
  /// Uses `db` for every call; `db` must outlive this.
  explicit ItemTransitions(Database& db) : db_(db) {}

  /// Moves item `item_id` from `from` to `to` with `change`. False (nothing
  /// changed) when the item is not in `from` any more, e.g. an answer that
  /// was applied already; Internal when the transition is forbidden.
  Result<bool> Move(int64_t item_id, ItemState from, ItemState to, const ItemChange& change,
                    int64_t now_ms);
  /// Moves every item in `from` (of job `job_id`, when given) to `to` with
  /// `change`; an end without an order (only from queued) takes only the
  /// items matching kNoCallMayHaveAppliedSql. Returns how many moved;
  /// Internal when the transition is forbidden.
  Result<int64_t> MoveAll(std::optional<int64_t> job_id, ItemState from, ItemState to,
                          const ItemChange& change, int64_t now_ms);

 private:
  // Binds `to`, `change` and `now_ms` to parameters 2 to 10 of `update`.
  static void BindChange(Statement& update, ItemState to, const ItemChange& change, int64_t now_ms);

  Database& db_;
  std::optional<Statement> read_;
  std::optional<Statement> move_;
};

}  // namespace imeiflow::store
