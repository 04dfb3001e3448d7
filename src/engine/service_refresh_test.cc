#include "engine/service_refresh.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>

#include "engine/dispatcher.h"
#include "engine/test_provider.h"
#include "store/job_repository.h"
#include "store/test_database.h"

namespace imeiflow::engine {
namespace {

using upstream::CallClass;
using upstream::PlaceOrderResult;
using upstream::ServicesResult;

// A supplier whose calls wait for the next Pump(); it lists two services (one
// priced as no number) and notes the most calls it ever held at once.
class FakeSupplier : public TestProvider {
 public:
  void ListServices(std::function<void(ServicesResult)> done) override {
    lists_.push_back(std::move(done));
    ++list_calls;
    started.push_back("list");
    NotePeak();
  }
  void PlaceOrder(upstream::PlaceOrderRequest request,
                  std::function<void(PlaceOrderResult)> done) override {
    TestProvider::PlaceOrder(std::move(request), std::move(done));
    started.push_back("place");
    NotePeak();
  }
  size_t InFlight() const override { return pending_.size() + lists_.size(); }
  void Pump(std::chrono::milliseconds) override {
    std::deque<std::function<void(ServicesResult)>> lists;
    if (!hold_lists) lists.swap(lists_);
    for (auto& done : lists) done(ListAnswer());
    std::deque<Pending> places;
    places.swap(pending_);
    for (Pending& p : places) p.done(Place(p.request));
  }

  CallClass list_class = CallClass::kApplied;  // how the list calls end
  std::string list_message;                    // ... and why, when not applied
  bool hold_lists = false;                     // list calls wait (unanswered) while set
  int list_calls = 0;
  int peak = 0;
  std::vector<std::string> started;  // "list" / "place", in start order

 private:
  std::deque<std::function<void(ServicesResult)>> lists_;  // list calls not yet answered
  void NotePeak() { peak = std::max(peak, static_cast<int>(InFlight())); }
  ServicesResult ListAnswer() const {
    ServicesResult r;
    r.verdict.call_class = list_class;
    r.verdict.message = list_message;
    if (list_class != CallClass::kApplied) return r;
    r.services.push_back({"1739",
                          "Apple",
                          "iPhone Carrier Check",
                          Money::FromCents(10),
                          "0.10",
                          "1-5 Minutes",
                          "",
                          "Apple",
                          {}});
    r.services.push_back({"77", "", "Odd", std::nullopt, "ask us", "", "", "", {}});
    return r;
  }
  static PlaceOrderResult Place(const upstream::PlaceOrderRequest& request) {
    PlaceOrderResult r;
    r.verdict.call_class = CallClass::kApplied;
    r.verdict.http_status = 200;
    for (const std::string& imei : request.imeis) {
      upstream::ImeiOutcome o;
      o.imei = imei;
      o.kind = upstream::ImeiOutcomeKind::kOrdered;
      o.order_id = "9" + imei;
      r.outcomes.push_back(o);
    }
    return r;
  }
};

class ServiceRefreshTest : public store::TestDatabase {
 protected:
  void AddJob(int n) {
    store::NewJob job;
    job.service_id = "1739";
    job.price = Money::FromCents(8);
    job.batch_size = 1;
    std::vector<store::NewItem> items;
    for (int i = 0; i < n; ++i) {
      std::string imei = fmt::format("35{:013}", i);
      items.push_back({i + 1, imei, imei, true, ""});
    }
    ASSERT_TRUE(store::JobRepository(*db_).Create(job, items, clock_.NowMs()).ok());
  }
  // A dispatcher allowed one call in flight, with the refresher in its slots.
  Dispatcher& Start() {
    DispatchOptions options;
    options.seed = 1;
    options.initial_in_flight = 1;
    options.max_in_flight = 1;
    dispatcher_.emplace(*db_, supplier_, clock_, options);
    EXPECT_TRUE(dispatcher_->Recover().ok());
    refresher_.emplace(*db_, supplier_, clock_, dispatcher_->limiter(), mailbox_);
    dispatcher_->SetServiceRefresher(&*refresher_);
    return *dispatcher_;
  }
  int64_t Scalar(const std::string& sql) { return std::stoll(Query(sql)); }

  FakeClock clock_{1'800'000'000'000};
  FakeSupplier supplier_;
  ServiceRefreshMailbox mailbox_;
  std::optional<Dispatcher> dispatcher_;
  std::optional<ServiceRefresher> refresher_;
};

TEST_F(ServiceRefreshTest, ASecondRequestWhilePendingQueuesNothing) {
  EXPECT_TRUE(mailbox_.Request("ana", 1000));
  EXPECT_FALSE(mailbox_.Request("bob", 2000));
  ServiceRefreshState state = mailbox_.State();
  EXPECT_TRUE(state.pending);
  EXPECT_EQ(state.requested_by, "ana");
  EXPECT_EQ(state.requested_at_ms, 1000);
}

TEST_F(ServiceRefreshTest, TheRefreshStoresServicesAuditsAndReports) {
  Dispatcher& dispatcher = Start();
  ASSERT_TRUE(mailbox_.Request("ana", clock_.NowMs()));
  ASSERT_TRUE(dispatcher.Step(0).ok());
  ASSERT_TRUE(dispatcher.Step(0).ok());
  EXPECT_EQ(supplier_.list_calls, 1);
  ServiceRefreshState state = mailbox_.State();
  EXPECT_FALSE(state.pending);
  EXPECT_EQ(state.finished_at_ms, clock_.NowMs());
  EXPECT_EQ(state.stored, 1u);
  EXPECT_EQ(state.left_out, 1u);
  EXPECT_EQ(state.error, "");
  EXPECT_EQ(Query("SELECT title FROM services"), "iPhone Carrier Check");
  EXPECT_EQ(Query("SELECT actor || ' ' || action || ': ' || detail FROM audit"
                  " WHERE action = 'services_refresh'"),
            "ana services_refresh: Services refreshed: 1 cached, 1 left out (price not a number)");
}

TEST_F(ServiceRefreshTest, TheRefreshTakesALimiterSlotLikeAnySupplierCall) {
  AddJob(3);
  Dispatcher& dispatcher = Start();
  ASSERT_TRUE(dispatcher.Step(0).ok());  // a place call takes the only slot
  ASSERT_TRUE(mailbox_.Request("ana", clock_.NowMs()));
  supplier_.hold_lists = true;  // a slow supplier: the refresh holds its slot
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(dispatcher.Step(0).ok());
  EXPECT_TRUE(mailbox_.State().in_flight);
  EXPECT_EQ(supplier_.started, (std::vector<std::string>{"place", "place", "list"}));
  supplier_.hold_lists = false;
  for (int i = 0; i < 20 && (mailbox_.State().pending ||
                             Scalar("SELECT count(*) FROM items WHERE state = 'queued'") > 0);
       ++i) {
    ASSERT_TRUE(dispatcher.Step(0).ok());
  }
  EXPECT_FALSE(mailbox_.State().pending);
  EXPECT_EQ(supplier_.peak, 1) << "the limit is one call in flight";
  // The refresh waited for the slot the second place call held, then went
  // before the item still queued.
  EXPECT_EQ(supplier_.started, (std::vector<std::string>{"place", "place", "list", "place"}));
  EXPECT_EQ(Scalar("SELECT count(*) FROM services"), 1);
}

TEST_F(ServiceRefreshTest, AFailedListingIsReportedAndChangesNothing) {
  ASSERT_TRUE(db_->Exec("INSERT INTO services(id, category, title, price_cents, delivery,"
                        " must_read, fetched_at) VALUES ('1', 'A', 'Old', 5, '', '', 1)")
                  .ok());
  supplier_.list_class = CallClass::kNotApplied;
  supplier_.list_message = "HTTP 500 from the supplier";
  Dispatcher& dispatcher = Start();
  ASSERT_TRUE(mailbox_.Request("ana", clock_.NowMs()));
  ASSERT_TRUE(dispatcher.Step(0).ok());
  ASSERT_TRUE(dispatcher.Step(0).ok());
  ServiceRefreshState state = mailbox_.State();
  EXPECT_FALSE(state.pending);
  EXPECT_EQ(state.error, "cannot list the supplier's services: HTTP 500 from the supplier");
  EXPECT_EQ(Query("SELECT title FROM services"), "Old");
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit WHERE action = 'services_refresh'"), 0);
  // A new request may follow a failed one.
  EXPECT_TRUE(mailbox_.Request("ana", clock_.NowMs()));
}

}  // namespace
}  // namespace imeiflow::engine
