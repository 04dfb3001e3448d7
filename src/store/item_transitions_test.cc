#include "store/item_transitions.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "store/job_repository.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class ItemTransitionsTest : public TestDatabase {
 protected:
  // A job of `n` queued items (ids 1 ... n), returns its id.
  int64_t QueuedJob(int n) {
    NewJob job;
    job.service_id = "1739";
    job.price = Money::FromCents(8);
    job.recheck = true;
    std::vector<NewItem> items;
    for (int line = 1; line <= n; ++line) {
      items.push_back({line, "352099001761481", "352099001761481", true, ""});
    }
    Result<int64_t> id = JobRepository(*db_).Create(job, items, 0);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }
  void Set(const std::string& columns, int64_t item_id) {
    ASSERT_TRUE(db_->Exec(fmt::format("UPDATE items SET {} WHERE id = {}", columns, item_id)).ok());
  }
  std::string StateOf(int64_t item_id) {
    return Query(fmt::format("SELECT state FROM items WHERE id = {}", item_id));
  }
};

// The edges of the state machine, and nothing else.
TEST(CheckTransitionTest, AllowsOnlyTheEdgesOfTheStateMachine) {
  using S = ItemState;
  const std::vector<std::pair<S, S>> allowed = {
      {S::kQueued, S::kInFlight},     {S::kQueued, S::kCancelled},
      {S::kQueued, S::kUncertain},    {S::kInFlight, S::kQueued},
      {S::kInFlight, S::kAccepted},   {S::kInFlight, S::kDuplicate},
      {S::kInFlight, S::kRejected},   {S::kInFlight, S::kUncertain},
      {S::kInFlight, S::kFailed},     {S::kInFlight, S::kAcceptedUnconfirmed},
      {S::kUncertain, S::kQueued},    {S::kUncertain, S::kAccepted},
      {S::kUncertain, S::kCancelled}, {S::kUncertain, S::kAcceptedUnconfirmed},
      {S::kFailed, S::kQueued},       {S::kAcceptedUnconfirmed, S::kAccepted}};
  for (S from : kAllItemStates) {
    for (S to : kAllItemStates) {
      bool edge = std::find(allowed.begin(), allowed.end(), std::pair(from, to)) != allowed.end();
      Status s = CheckTransition(from, to, false);
      EXPECT_EQ(s.ok(), edge) << ItemStateName(from) << " -> " << ItemStateName(to);
      if (!edge) {
        EXPECT_EQ(s.code(), StatusCode::kInternal);
      }
    }
  }
}

// The one rule: an item a call may have applied never ends without an order,
// except by a person's review decision.
TEST(CheckTransitionTest, AnItemACallMayHaveAppliedNeverEndsWithoutAnOrder) {
  EXPECT_EQ(CheckTransition(ItemState::kQueued, ItemState::kCancelled, true).code(),
            StatusCode::kInternal);
  EXPECT_EQ(CheckTransition(ItemState::kInFlight, ItemState::kFailed, true).code(),
            StatusCode::kInternal);
  EXPECT_TRUE(CheckTransition(ItemState::kUncertain, ItemState::kCancelled, true).ok());
  EXPECT_TRUE(CheckTransition(ItemState::kInFlight, ItemState::kUncertain, true).ok());
  EXPECT_TRUE(CheckTransition(ItemState::kQueued, ItemState::kCancelled, false).ok());
}

TEST_F(ItemTransitionsTest, MovesAnItemAndSetsOnlyTheGivenColumns) {
  QueuedJob(1);
  Set("reason = 'kept', not_before = 77", 1);
  ASSERT_TRUE(db_->Exec("INSERT INTO calls(id, service_id, created_at) VALUES (4, '1739', 50)").ok());
  ItemChange change;
  change.call_id = 4;
  change.attempts = 1;
  Result<bool> moved =
      ItemTransitions(*db_).Move(1, ItemState::kQueued, ItemState::kInFlight, change, 50);
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_TRUE(*moved);
  EXPECT_EQ(Query("SELECT state || ' ' || call_id || ' ' || attempts || ' ' || reason || ' ' ||"
                  " not_before || ' ' || updated_at FROM items"),
            "in_flight 4 1 kept 77 50");
}

TEST_F(ItemTransitionsTest, AnItemNoLongerInTheFromStateIsLeftAlone) {
  QueuedJob(1);
  Result<bool> moved =
      ItemTransitions(*db_).Move(1, ItemState::kInFlight, ItemState::kAccepted, {}, 50);
  ASSERT_TRUE(moved.ok());
  EXPECT_FALSE(*moved);
  EXPECT_EQ(StateOf(1), "queued");
}

TEST_F(ItemTransitionsTest, AForbiddenMoveFailsLoudlyAndChangesNothing) {
  QueuedJob(1);
  Set("state = 'accepted'", 1);
  Result<bool> moved =
      ItemTransitions(*db_).Move(1, ItemState::kAccepted, ItemState::kQueued, {}, 50);
  EXPECT_EQ(moved.status().code(), StatusCode::kInternal);
  EXPECT_EQ(StateOf(1), "accepted");
}

TEST_F(ItemTransitionsTest, CancellingAnItemACallMayHaveAppliedFailsLoudly) {
  QueuedJob(2);
  Set("after_uncertain = 1", 1);
  Set("state = 'in_flight', after_uncertain = 1", 2);
  ItemTransitions transitions(*db_);
  Result<bool> cancelled = transitions.Move(1, ItemState::kQueued, ItemState::kCancelled, {}, 50);
  EXPECT_EQ(cancelled.status().code(), StatusCode::kInternal) << cancelled.status().message();
  Result<bool> failed = transitions.Move(2, ItemState::kInFlight, ItemState::kFailed, {}, 50);
  EXPECT_EQ(failed.status().code(), StatusCode::kInternal);
  EXPECT_EQ(StateOf(1), "queued");
  EXPECT_EQ(StateOf(2), "in_flight");
}

TEST_F(ItemTransitionsTest, MoveAllEndsOnlyItemsNoCallMayHaveApplied) {
  int64_t job = QueuedJob(3);
  int64_t other = QueuedJob(1);
  Set("after_uncertain = 1", 2);
  ItemChange change;
  change.reason = "job cancelled";
  Result<int64_t> n =
      ItemTransitions(*db_).MoveAll(job, ItemState::kQueued, ItemState::kCancelled, change, 9);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(Query(fmt::format("SELECT group_concat(state, ',') FROM"
                              " (SELECT state FROM items WHERE job_id = {} ORDER BY id)",
                              job)),
            "cancelled,queued,cancelled");
  EXPECT_EQ(Query(fmt::format("SELECT state FROM items WHERE job_id = {}", other)), "queued");
  EXPECT_EQ(ItemTransitions(*db_)
                .MoveAll(std::nullopt, ItemState::kInFlight, ItemState::kFailed, {}, 9)
                .status()
                .code(),
            StatusCode::kInternal);
  EXPECT_EQ(ItemTransitions(*db_)
                .MoveAll(std::nullopt, ItemState::kCancelled, ItemState::kQueued, {}, 9)
                .status()
                .code(),
            StatusCode::kInternal);
}

}  // namespace
}  // namespace imeiflow::store
