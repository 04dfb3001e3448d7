#include "store/sync_repository.h"

#include <gtest/gtest.h>

#include "store/dispatch_repository.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class SyncRepositoryTest : public TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    ASSERT_TRUE(db_->Exec("INSERT INTO jobs(id, service_id, price_cents, created_at)"
                          " VALUES (1, '1739', 8, 0)")
                    .ok());
  }

  // Inserts an order and returns its id.
  int64_t AddOrder(const std::string& upstream_id, const std::string& status, int64_t placed_at,
                   int64_t next_poll_at) {
    Result<Statement> insert = db_->Prepare(
        "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, job_id,"
        " placed_at, updated_at, next_poll_at) VALUES (?1, '352099001761481', '1739', ?2, 8, 1,"
        " ?3, ?3, ?4)");
    EXPECT_TRUE(insert.ok());
    if (upstream_id.empty()) {
      insert->BindNull(1);
    } else {
      insert->Bind(1, upstream_id);
    }
    insert->Bind(2, status).Bind(3, placed_at).Bind(4, next_poll_at);
    EXPECT_TRUE(insert->Run().ok());
    return db_->LastInsertId();
  }

  std::vector<std::string> DueIds(int64_t now, std::optional<SyncCursor> after = {},
                                  int limit = 100) {
    Result<std::vector<SyncOrder>> due = SyncRepository(*db_).Due(now, after, limit);
    EXPECT_TRUE(due.ok()) << due.status().message();
    std::vector<std::string> ids;
    if (due.ok()) {
      for (const SyncOrder& o : *due) ids.push_back(o.upstream_id);
    }
    return ids;
  }
};

TEST_F(SyncRepositoryTest, DueListsOnlySchedulableOrdersInScheduleOrder) {
  AddOrder("late", "pending", 0, 300);
  AddOrder("early", "in_process", 0, 100);
  AddOrder("future", "pending", 0, 5000);
  AddOrder("done", "completed", 0, 0);
  AddOrder("", "unconfirmed", 0, 0);
  int64_t stale = AddOrder("stale", "pending", 0, 0);
  ASSERT_TRUE(db_->Exec("UPDATE orders SET stale_at = 1 WHERE id = " + std::to_string(stale)).ok());

  EXPECT_EQ(DueIds(1000), (std::vector<std::string>{"early", "late"}));
  EXPECT_EQ(DueIds(1000, {}, 1), (std::vector<std::string>{"early"}));
  Result<std::vector<SyncOrder>> first = SyncRepository(*db_).Due(1000, {}, 1);
  ASSERT_TRUE(first.ok());
  SyncCursor after{first->front().next_poll_at, first->front().id};
  EXPECT_EQ(DueIds(1000, after), (std::vector<std::string>{"late"}));
  EXPECT_EQ(DueIds(99), std::vector<std::string>{});
}

TEST_F(SyncRepositoryTest, OpenListsEveryNonFinalOrderWithAnIdWhateverTheSchedule) {
  AddOrder("a", "pending", 0, 5000);
  AddOrder("b", "completed", 0, 0);
  int64_t stale = AddOrder("c", "in_process", 0, 0);
  ASSERT_TRUE(db_->Exec("UPDATE orders SET stale_at = 1 WHERE id = " + std::to_string(stale)).ok());
  SyncRepository repo(*db_);
  Result<std::vector<SyncOrder>> open = repo.Open(0, 10);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].upstream_id, "a");
  EXPECT_EQ((*open)[1].upstream_id, "c");
  EXPECT_EQ(repo.Open((*open)[0].id, 10)->size(), 1u);
}

TEST_F(SyncRepositoryTest, RecordStoresChangesSchedulesAndCountsMisses) {
  int64_t completed = AddOrder("1", "pending", 0, 0);
  int64_t unchanged = AddOrder("2", "pending", 0, 0);
  int64_t missing = AddOrder("3", "in_process", 0, 0);
  int64_t failed = AddOrder("4", "pending", 0, 0);
  SyncRepository repo(*db_);
  std::string code = "Model: iPhone 13 Pro - Carrier: Unlocked - SimLock: Unlocked";
  std::vector<PollRecord> polls = {
      {completed, PollRecord::Kind::kChanged, "completed", code, 900, false},
      {unchanged, PollRecord::Kind::kUnchanged, "", "", 700, false},
      {missing, PollRecord::Kind::kMissing, "", "", 600, false},
      {failed, PollRecord::Kind::kFailed, "", "", 500, false},
  };
  ASSERT_TRUE(repo.Record(polls, 400).ok());
  ASSERT_TRUE(repo.Record({polls[2]}, 450).ok());

  auto row = [&](int64_t id, const std::string& columns) {
    return Query("SELECT " + columns + " FROM orders WHERE id = " + std::to_string(id));
  };
  EXPECT_EQ(row(completed, "status || '|' || code || '|' || model || '|' || carrier"),
            "completed|" + code + "|iPhone 13 Pro|Unlocked");
  EXPECT_EQ(row(completed, "polls"), "1");
  EXPECT_EQ(row(unchanged, "status || '|' || polls || '|' || next_poll_at"), "pending|1|700");
  EXPECT_EQ(row(missing, "misses || '|' || polls || '|' || next_poll_at"), "2|0|600");
  EXPECT_EQ(row(failed, "misses || '|' || polls || '|' || next_poll_at"), "0|0|500");

  // An answer resets the misses.
  ASSERT_TRUE(repo.Record({{missing, PollRecord::Kind::kUnchanged, "", "", 800, false}}, 500).ok());
  EXPECT_EQ(row(missing, "misses || '|' || polls"), "0|1");
  EXPECT_EQ(DueIds(1000), (std::vector<std::string>{"4", "2", "3"}));
}

TEST_F(SyncRepositoryTest, AFinalStateIsNeverUndone) {
  int64_t id = AddOrder("1", "pending", 0, 0);
  SyncRepository repo(*db_);
  ASSERT_TRUE(
      repo.Record({{id, PollRecord::Kind::kChanged, "rejected", "Invalid IMEI", 0}}, 1).ok());
  ASSERT_TRUE(repo.Record({{id, PollRecord::Kind::kChanged, "pending", "", 0}}, 2).ok());
  EXPECT_EQ(Query("SELECT status || '|' || code FROM orders"), "rejected|Invalid IMEI");
}

TEST_F(SyncRepositoryTest, OrdersWithoutSupplierIdAreNotCountedAsAwaitingAResult) {
  AddOrder("u1", "pending", 0, 0);
  AddOrder("", "pending", 0, 0);     // imported from an export without the order id
  AddOrder("", "in_process", 0, 0);  // likewise
  AddOrder("", "unconfirmed", 0, 0);
  Result<SyncCounts> counts = SyncRepository(*db_).Counts(0);
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->pending, 1);
  EXPECT_EQ(counts->in_process, 0);
  EXPECT_EQ(counts->known_from_export, 2);
  EXPECT_EQ(counts->unconfirmed, 1);
}

TEST_F(SyncRepositoryTest, StaleOrdersLeaveTheScheduleAndAreCounted) {
  AddOrder("old", "pending", 100, 0);
  AddOrder("young", "in_process", 5000, 0);
  AddOrder("done", "completed", 100, 0);
  AddOrder("", "unconfirmed", 100, 0);
  SyncRepository repo(*db_);
  Result<int64_t> marked = repo.MarkStale(1000, 9000);
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(*marked, 1);
  EXPECT_EQ(Query("SELECT stale_at FROM orders WHERE upstream_id = 'old'"), "9000");
  EXPECT_EQ(DueIds(10000), std::vector<std::string>{"young"});

  Result<SyncCounts> counts = repo.Counts(10000);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->pending, 0);
  EXPECT_EQ(counts->in_process, 1);
  EXPECT_EQ(counts->due, 1);
  EXPECT_EQ(counts->stale, 1);
  EXPECT_EQ(counts->unconfirmed, 1);

  // A poll may also give up on an order.
  int64_t young = std::stoll(Query("SELECT id FROM orders WHERE upstream_id = 'young'"));
  ASSERT_TRUE(
      repo.Record({{young, PollRecord::Kind::kUnchanged, "", "", 20000, true}}, 11000).ok());
  EXPECT_EQ(Query("SELECT stale_at FROM orders WHERE id = " + std::to_string(young)), "11000");
  Result<std::optional<int64_t>> next = repo.NextPollAt();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
}

TEST_F(SyncRepositoryTest, NextPollAtIsTheEarliestSchedulable) {
  AddOrder("a", "pending", 0, 700);
  AddOrder("b", "in_process", 0, 300);
  AddOrder("c", "completed", 0, 100);
  Result<std::optional<int64_t>> next = SyncRepository(*db_).NextPollAt();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->value_or(-1), 300);
}

TEST_F(SyncRepositoryTest, OrdersPlacedByTheDispatcherAreFirstPolledAfterTheDelay) {
  ASSERT_TRUE(db_->Exec("INSERT INTO items(id, job_id, line, input, imei, state, updated_at)"
                        " VALUES (7, 1, 1, 'x', '352099001761481', 'in_flight', 0);"
                        "INSERT INTO calls(id, service_id, created_at) VALUES (3, '1739', 0)")
                  .ok());
  DispatchRepository dispatch(*db_, 5000);
  FinishedCall call;
  call.call_id = 3;
  call.outcome = "applied";
  ItemTransition accepted;
  accepted.item_id = 7;
  accepted.to = ItemState::kAccepted;
  accepted.order = NewOrder{"1000001", "pending"};
  call.transitions.push_back(accepted);
  ASSERT_TRUE(dispatch.Finish({call}, 20000).ok());
  EXPECT_EQ(Query("SELECT placed_at || '|' || next_poll_at FROM orders"), "20000|25000");
  EXPECT_EQ(DueIds(24999), std::vector<std::string>{});
  EXPECT_EQ(DueIds(25000), std::vector<std::string>{"1000001"});
}

}  // namespace
}  // namespace imeiflow::store
