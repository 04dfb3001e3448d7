#include "engine/syncer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <set>

#include "engine/dispatcher.h"
#include "engine/test_provider.h"
#include "store/job_repository.h"
#include "store/test_database.h"

namespace imeiflow::engine {
namespace {

using upstream::CallClass;
using upstream::OrderInfo;
using upstream::OrdersResult;
using upstream::OrderStatus;

constexpr int64_t kMinute = 60'000;

// A supplier holding orders by id. getimeis calls wait until the next Pump();
// place calls order every IMEI. Tests script statuses, ids to leave out, and
// failed calls.
class FakeSupplier : public TestProvider {
 public:
  struct Held {
    OrderStatus status = OrderStatus::kPending;
    std::string code;
  };
  std::map<std::string, Held> orders;           // supplier id -> order
  std::map<std::string, int> omit_times;        // id -> answers still to leave it out of
  std::deque<upstream::CallVerdict> failures;   // verdicts of the next getimeis calls
  std::vector<std::vector<std::string>> asked;  // ids of every getimeis call, in order
  std::vector<std::string> started;             // "place" / "fetch", in start order

  void FetchOrders(std::vector<std::string> ids, std::function<void(OrdersResult)> done) override {
    asked.push_back(ids);
    started.push_back("fetch");
    fetches_.push_back({std::move(ids), std::move(done)});
  }
  void PlaceOrder(upstream::PlaceOrderRequest request,
                  std::function<void(upstream::PlaceOrderResult)> done) override {
    started.push_back("place");
    TestProvider::PlaceOrder(std::move(request), std::move(done));
  }
  size_t InFlight() const override { return pending_.size() + fetches_.size(); }

  void Pump(std::chrono::milliseconds) override {
    std::deque<Fetch> fetches;
    fetches.swap(fetches_);
    for (Fetch& f : fetches) f.done(Answer(f.ids));
    std::deque<Pending> places;
    places.swap(pending_);
    for (Pending& p : places) p.done(Place(p.request));
  }

 private:
  struct Fetch {
    std::vector<std::string> ids;
    std::function<void(OrdersResult)> done;
  };

  OrdersResult Answer(const std::vector<std::string>& ids) {
    OrdersResult result;
    if (!failures.empty()) {
      result.verdict = failures.front();
      failures.pop_front();
      return result;
    }
    result.verdict.call_class = CallClass::kApplied;
    result.verdict.http_status = 200;
    for (const std::string& id : ids) {
      auto held = orders.find(id);
      if (held == orders.end()) continue;
      if (omit_times[id] > 0) {
        --omit_times[id];
        continue;
      }
      OrderInfo info;
      info.order_id = id;
      info.status = held->second.status;
      info.status_text = upstream::OrderStatusName(info.status);
      info.code = held->second.code;
      result.orders.push_back(info);
    }
    return result;
  }

  upstream::PlaceOrderResult Place(const upstream::PlaceOrderRequest& request) {
    upstream::PlaceOrderResult result;
    result.verdict.call_class = CallClass::kApplied;
    result.verdict.http_status = 200;
    for (const std::string& imei : request.imeis) {
      upstream::ImeiOutcome o;
      o.imei = imei;
      o.kind = upstream::ImeiOutcomeKind::kOrdered;
      o.order_id = fmt::format("{}", ++next_id_);
      orders[o.order_id] = {};
      result.outcomes.push_back(o);
    }
    return result;
  }

  std::deque<Fetch> fetches_;
  int next_id_ = 5000;
};

upstream::CallVerdict Verdict(CallClass call_class, int http_status) {
  upstream::CallVerdict v;
  v.call_class = call_class;
  v.http_status = http_status;
  v.message = fmt::format("HTTP {}", http_status);
  return v;
}

const std::string kCode =
    "Model: iPhone 13 Pro 128GB Graphite - IMEI Number: 352099001761481 - Carrier: Unlocked -"
    " Find My iPhone: OFF - SimLock: Unlocked";

class SyncerTest : public store::TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    ASSERT_TRUE(db_->Exec("INSERT INTO jobs(id, service_id, price_cents, created_at)"
                          " VALUES (1, '1739', 8, 0)")
                    .ok());
  }

  // An order the supplier holds as `id`, placed at `placed_at`, due at `due_at`.
  int64_t AddOrder(const std::string& id, int64_t placed_at, int64_t due_at,
                   const std::string& status = "pending") {
    EXPECT_TRUE(
        db_->Exec(fmt::format("INSERT INTO orders(upstream_id, imei, service_id, status,"
                              " price_cents, job_id, placed_at, updated_at, next_poll_at)"
                              " VALUES ('{}', '352099001761481', '1739', '{}', 8, 1, {}, {}, {})",
                              id, status, placed_at, placed_at, due_at))
            .ok());
    supplier_.orders[id] = {};
    return db_->LastInsertId();
  }
  std::string Column(const std::string& id, const std::string& column) {
    return Query(fmt::format("SELECT {} FROM orders WHERE upstream_id = '{}'", column, id));
  }
  SyncOptions Options(int batch_size = 50) {
    SyncOptions o;
    o.batch_size = batch_size;
    o.grace_ms = 0;
    return o;
  }
  // One round as a Run() step does it, at the fake clock's time.
  void Round(Syncer& syncer) {
    Result<int> started = syncer.StartPolls(limiter_.limit() - syncer.in_flight());
    ASSERT_TRUE(started.ok()) << started.status().message();
    supplier_.Pump(std::chrono::milliseconds(0));
    Status s = syncer.RecordAnswers();
    ASSERT_TRUE(s.ok()) << s.message();
  }

  FakeClock clock_;
  FakeSupplier supplier_;
  AdaptiveLimiter limiter_{4, 16};
};

TEST_F(SyncerTest, BringsEveryOrderToItsFinalStateWithParsedFields) {
  int64_t now = clock_.NowMs();
  for (int i = 1; i <= 5; ++i) AddOrder(std::to_string(i), now - kMinute, now);
  supplier_.orders["1"] = {OrderStatus::kCompleted, kCode};
  supplier_.orders["2"] = {OrderStatus::kRejected, "Invalid IMEI or not found in database"};
  supplier_.orders["3"] = {OrderStatus::kInProcess, ""};
  supplier_.orders["4"] = {OrderStatus::kCompleted, kCode};
  supplier_.orders["5"] = {OrderStatus::kCompleted, kCode};

  Syncer syncer(*db_, supplier_, clock_, limiter_, Options(2));
  Round(syncer);
  // Five ids in calls of at most two.
  ASSERT_EQ(supplier_.asked.size(), 3u);
  EXPECT_EQ(supplier_.asked[0], (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(supplier_.asked[2], (std::vector<std::string>{"5"}));
  EXPECT_EQ(Column("1", "status || '|' || model || '|' || carrier || '|' || fmi"),
            "completed|iPhone 13 Pro 128GB Graphite|Unlocked|OFF");
  EXPECT_EQ(Column("1", "code"), kCode);
  EXPECT_EQ(Column("2", "status || '|' || code"), "rejected|Invalid IMEI or not found in database");
  EXPECT_EQ(Column("3", "status"), "in_process");
  EXPECT_EQ(syncer.stats().orders_completed, 3);
  EXPECT_EQ(syncer.stats().orders_rejected, 1);
  EXPECT_EQ(syncer.stats().orders_in_process, 1);

  // The order in process is asked again on schedule: a minute later.
  Round(syncer);
  EXPECT_EQ(supplier_.asked.size(), 3u);
  supplier_.orders["3"] = {OrderStatus::kCompleted, kCode};
  clock_.Advance(kMinute);
  std::atomic<bool> stop{false};
  ASSERT_TRUE(syncer.Run(stop, SyncUntil::kFinal).ok());
  EXPECT_EQ(supplier_.asked.back(), std::vector<std::string>{"3"});
  EXPECT_EQ(Column("3", "status || '|' || polls"), "completed|2");
  EXPECT_EQ(Query("SELECT count(*) FROM orders WHERE status IN ('pending', 'in_process')"), "0");
}

TEST_F(SyncerTest, PollsFollowTheAgeOfTheOrder) {
  int64_t placed = clock_.NowMs();
  AddOrder("7", placed, placed + kMinute);
  Syncer syncer(*db_, supplier_, clock_, limiter_, Options());
  std::vector<int64_t> minutes;
  for (int64_t t = 0; t <= 70 * kMinute; t += 10'000) {
    clock_.Set(placed + t);
    size_t before = supplier_.asked.size();
    Round(syncer);
    if (supplier_.asked.size() > before) minutes.push_back(t / kMinute);
  }
  EXPECT_EQ(minutes, (std::vector<int64_t>{1, 2, 4, 8, 16, 32, 62}));
  EXPECT_EQ(Column("7", "polls"), "7");
}

TEST_F(SyncerTest, IdsTheAnswerLeavesOutAreAskedAgainThenAlone) {
  int64_t now = clock_.NowMs();
  for (int i = 1; i <= 3; ++i) AddOrder(std::to_string(i), now - kMinute, now);
  for (auto& [id, held] : supplier_.orders) held = {OrderStatus::kCompleted, kCode};
  supplier_.omit_times["2"] = 3;
  Syncer syncer(*db_, supplier_, clock_, limiter_, Options());

  Round(syncer);
  EXPECT_EQ(supplier_.asked.back(), (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(Column("2", "status || '|' || misses"), "pending|1");
  clock_.Advance(kMinute);  // asked again after first_poll x misses
  Round(syncer);
  EXPECT_EQ(supplier_.asked.back(), std::vector<std::string>{"2"});
  EXPECT_EQ(Column("2", "misses"), "2");
  // Missed twice: alone from now on, after 2 minutes.
  clock_.Advance(kMinute);
  Round(syncer);
  EXPECT_EQ(supplier_.asked.size(), 2u);
  clock_.Advance(kMinute);
  Round(syncer);
  EXPECT_EQ(supplier_.asked.back(), std::vector<std::string>{"2"});
  EXPECT_EQ(Column("2", "misses"), "3");
  clock_.Advance(3 * kMinute);
  Round(syncer);
  EXPECT_EQ(Column("2", "status || '|' || misses"), "completed|0");
  EXPECT_EQ(syncer.stats().orders_missing, 3);
  EXPECT_EQ(syncer.stats().orders_completed, 3);
}

TEST_F(SyncerTest, AMissedOrderGoesAloneEvenAmongOthers) {
  int64_t now = clock_.NowMs();
  AddOrder("1", now - kMinute, now);
  AddOrder("2", now - kMinute, now);
  AddOrder("3", now - kMinute, now);
  ASSERT_TRUE(db_->Exec("UPDATE orders SET misses = 2 WHERE upstream_id = '2'").ok());
  Syncer syncer(*db_, supplier_, clock_, limiter_, Options());
  Round(syncer);
  ASSERT_EQ(supplier_.asked.size(), 3u);
  EXPECT_EQ(supplier_.asked[0], std::vector<std::string>{"1"});
  EXPECT_EQ(supplier_.asked[1], std::vector<std::string>{"2"});
  EXPECT_EQ(supplier_.asked[2], std::vector<std::string>{"3"});
}

// The dispatcher judges answers (freeing slots), refills the slots, and only
// then records: orders judged but not yet recorded must not be asked again.
TEST_F(SyncerTest, AnOrderIsNotAskedAgainBetweenJudgingAndRecording) {
  int64_t now = clock_.NowMs();
  AddOrder("1", now - kMinute, now);
  Syncer syncer(*db_, supplier_, clock_, limiter_, Options());
  ASSERT_EQ(*syncer.StartPolls(4), 1);
  supplier_.Pump(std::chrono::milliseconds(0));
  syncer.JudgeAnswers();
  EXPECT_EQ(syncer.in_flight(), 0);
  clock_.Advance(1000);  // past the wait after a fetch that found little
  ASSERT_EQ(*syncer.StartPolls(4), 0);
  ASSERT_TRUE(syncer.RecordJudged().ok());
  EXPECT_EQ(supplier_.asked.size(), 1u);
  EXPECT_EQ(Column("1", "polls"), "1");
}

TEST_F(SyncerTest, FailedPollsAreRetriedLaterAndCongestionHalvesTheSharedLimit) {
  int64_t now = clock_.NowMs();
  AddOrder("1", now - kMinute, now);
  supplier_.orders["1"] = {OrderStatus::kCompleted, kCode};
  supplier_.failures.push_back(Verdict(CallClass::kNotApplied, 429));
  AdaptiveLimiter limiter(8, 16);
  Syncer syncer(*db_, supplier_, clock_, limiter, Options());
  Result<int> started = syncer.StartPolls(8);
  ASSERT_TRUE(started.ok());
  supplier_.Pump(std::chrono::milliseconds(0));
  ASSERT_TRUE(syncer.RecordAnswers().ok());
  EXPECT_EQ(limiter.limit(), 4);
  EXPECT_EQ(syncer.stats().congestion, 1);
  EXPECT_EQ(syncer.stats().failed_polls, 1);
  EXPECT_EQ(Column("1", "status || '|' || polls || '|' || misses"), "pending|0|0");
  EXPECT_EQ(Column("1", "next_poll_at"), std::to_string(now + kMinute));

  clock_.Advance(kMinute);
  started = syncer.StartPolls(4);
  supplier_.Pump(std::chrono::milliseconds(0));
  ASSERT_TRUE(syncer.RecordAnswers().ok());
  EXPECT_EQ(Column("1", "status"), "completed");
}

TEST_F(SyncerTest, RefusedCredentialsStopTheRun) {
  int64_t now = clock_.NowMs();
  AddOrder("1", now - kMinute, now);
  upstream::CallVerdict fatal = Verdict(CallClass::kFatal, 200);
  fatal.message = "Invalid API Key!";
  supplier_.failures.push_back(fatal);
  Syncer syncer(*db_, supplier_, clock_, limiter_, Options());
  std::atomic<bool> stop{false};
  Status s = syncer.Run(stop, SyncUntil::kStopped);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("Invalid API Key!"), std::string::npos) << s.message();
  EXPECT_EQ(Column("1", "status"), "pending");
}

TEST_F(SyncerTest, OldOrdersBecomeStaleAndAreNoLongerPolled) {
  int64_t now = clock_.NowMs();
  AddOrder("old", now - 31 * 24 * 60 * kMinute, now);
  AddOrder("young", now - kMinute, now);
  Syncer syncer(*db_, supplier_, clock_, limiter_, Options());
  Round(syncer);
  ASSERT_EQ(supplier_.asked.size(), 1u);
  EXPECT_EQ(supplier_.asked[0], std::vector<std::string>{"young"});
  EXPECT_EQ(Column("old", "stale_at"), std::to_string(now));
  EXPECT_EQ(syncer.stats().orders_stale, 1);
  EXPECT_TRUE(*syncer.Idle());
  // Nothing left to poll but "young" (not yet due again): not done.
  EXPECT_FALSE(*syncer.Done());
}

TEST_F(SyncerTest, EveryOpenOrderOnceIgnoresTheScheduleAndIncludesStaleOrders) {
  int64_t now = clock_.NowMs();
  AddOrder("future", now - kMinute, now + 10 * kMinute);
  AddOrder("stale", now - kMinute, now);
  AddOrder("done", now - kMinute, now, "completed");
  ASSERT_TRUE(db_->Exec("UPDATE orders SET stale_at = 1 WHERE upstream_id = 'stale'").ok());
  supplier_.orders["stale"] = {OrderStatus::kCompleted, kCode};
  Syncer syncer(*db_, supplier_, clock_, limiter_, Options(), SyncMode::kEveryOpenOrderOnce);
  std::atomic<bool> stop{false};
  ASSERT_TRUE(syncer.Run(stop, SyncUntil::kIdle).ok());
  ASSERT_EQ(supplier_.asked.size(), 1u);
  EXPECT_EQ(supplier_.asked[0], (std::vector<std::string>{"future", "stale"}));
  EXPECT_EQ(Column("stale", "status"), "completed");
  EXPECT_EQ(syncer.stats().polls, 1);
}

// The dispatcher and the syncer on one provider and one limiter: a poll
// starts only in a slot no ready submission could take.
TEST_F(SyncerTest, SubmissionsHavePriorityOverPolls) {
  int64_t now = clock_.NowMs();
  for (int i = 1; i <= 20; ++i) AddOrder(fmt::format("p{}", i), now - kMinute, now);
  store::NewJob job;
  job.service_id = "1739";
  job.price = Money::FromCents(8);
  std::vector<store::NewItem> items;
  for (int i = 0; i < 30; ++i) {
    std::string imei = fmt::format("35{:013}", 7000 + i);
    items.push_back({i + 1, imei, imei, true, ""});
  }
  ASSERT_TRUE(store::JobRepository(*db_).Create(job, items, now).ok());

  DispatchOptions dispatch;
  dispatch.seed = 1;
  dispatch.initial_in_flight = 4;
  dispatch.max_in_flight = 4;
  dispatch.first_poll_delay_ms = 5 * kMinute;
  Dispatcher dispatcher(*db_, supplier_, clock_, dispatch);
  Syncer syncer(*db_, supplier_, clock_, dispatcher.limiter(), Options(5));
  dispatcher.SetSyncer(&syncer);
  ASSERT_TRUE(dispatcher.Recover().ok());
  std::atomic<bool> stop{false};
  ASSERT_TRUE(dispatcher.Run(stop, /*until_idle=*/true).ok());

  // Every place call started before the first poll.
  size_t first_fetch = 0;
  while (first_fetch < supplier_.started.size() && supplier_.started[first_fetch] == "place") {
    ++first_fetch;
  }
  EXPECT_GE(first_fetch, 28u);  // the last step may share its slots
  int places = 0;
  for (const std::string& kind : supplier_.started) places += kind == "place";
  EXPECT_EQ(places, 30);
  // Every due order was polled once before the run ended, in calls of five.
  std::map<std::string, int> polled;
  for (const auto& ids : supplier_.asked) {
    EXPECT_LE(ids.size(), 5u);
    for (const std::string& id : ids) ++polled[id];
  }
  EXPECT_EQ(polled.size(), 20u);
  for (const auto& [id, times] : polled) EXPECT_EQ(times, 1) << id;
  // The orders placed now are first due 5 minutes later, so the run ended.
  EXPECT_EQ(Query("SELECT count(*) FROM orders WHERE next_poll_at = " +
                  std::to_string(now + 5 * kMinute)),
            "30");
  EXPECT_EQ(Query("SELECT count(*) FROM items WHERE state = 'accepted'"), "30");
}

}  // namespace
}  // namespace imeiflow::engine
