#include "sim/order_book.h"

#include <gtest/gtest.h>

#include "sim/imei_check.h"
#include "sim/manual_clock_for_test.h"
#include "sim/result_codes.h"

namespace imeiflow::sim {
namespace {

using std::chrono::milliseconds;

class OrderBookTest : public ::testing::Test {
 protected:
  Catalogue catalogue_ = Catalogue::BuiltIn();  // declared first: the references below use it
  const Service& check_ = *catalogue_.Find("1739");
  const Service& unlock_ = *catalogue_.Find("3201");
  ManualClock clock_;
};

TEST_F(OrderBookTest, CreatesSequentialOrdersPending) {
  OrderBook book({}, clock_);
  PlaceOutcome out = book.Place(check_, {NthImei(1), NthImei(2)}, 7);
  ASSERT_EQ(out.created.size(), 2u);
  EXPECT_EQ(out.created[0].id, 1000001);
  EXPECT_EQ(out.created[1].id, 1000002);
  EXPECT_EQ(out.created[1].imei, NthImei(2));
  EXPECT_EQ(out.created[0].call_id, 7);
  EXPECT_TRUE(out.duplicates.empty());
  auto views = book.Lookup({1000002, 1000001});
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].id, 1000002);
  EXPECT_EQ(views[0].status, OrderStatus::kPending);
  EXPECT_EQ(views[0].package, check_.title);
  EXPECT_EQ(views[0].code, "");
}

TEST_F(OrderBookTest, UnknownIdsAreSkipped) {
  OrderBook book({}, clock_);
  book.Place(check_, {NthImei(1)}, 1);
  auto views = book.Lookup({5, 1000001, 1000002, -1});
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].id, 1000001);
}

TEST_F(OrderBookTest, RefusesDuplicatesPerService) {
  OrderBook book({}, clock_);
  book.Place(check_, {NthImei(1)}, 1);
  PlaceOutcome again = book.Place(check_, {NthImei(1), NthImei(2), NthImei(2)}, 2);
  ASSERT_EQ(again.created.size(), 1u);
  EXPECT_EQ(again.created[0].imei, NthImei(2));
  EXPECT_EQ(again.duplicates, (std::vector<std::string>{NthImei(1), NthImei(2)}));
  // The same IMEI on another service is a different order.
  EXPECT_EQ(book.Place(unlock_, {NthImei(1)}, 3).created.size(), 1u);
  EXPECT_EQ(book.size(), 3);
}

TEST_F(OrderBookTest, ChargeModeOrdersRepeatsAgain) {
  OrderBookSettings settings;
  settings.duplicates = DuplicateMode::kCharge;
  OrderBook book(settings, clock_);
  book.Place(check_, {NthImei(1)}, 1);
  PlaceOutcome again = book.Place(check_, {NthImei(1)}, 2);
  ASSERT_EQ(again.created.size(), 1u);
  EXPECT_EQ(again.created[0].id, 1000002);
  EXPECT_TRUE(again.duplicates.empty());
}

TEST_F(OrderBookTest, BatchLastOrdersOnlyTheLastImei) {
  OrderBookSettings settings;
  settings.batch = BatchMode::kLast;
  OrderBook book(settings, clock_);
  PlaceOutcome out = book.Place(check_, {NthImei(1), NthImei(2), NthImei(3)}, 1);
  ASSERT_EQ(out.created.size(), 1u);
  EXPECT_EQ(out.created[0].imei, NthImei(3));
  EXPECT_EQ(out.dropped, (std::vector<std::string>{NthImei(1), NthImei(2)}));
  EXPECT_EQ(book.size(), 1);
}

TEST_F(OrderBookTest, InvalidImeisAreNotOrdered) {
  OrderBook book({}, clock_);
  PlaceOutcome out = book.Place(check_, {"356938035643808", NthImei(4), "12345"}, 1);
  ASSERT_EQ(out.created.size(), 1u);
  EXPECT_EQ(out.invalid, (std::vector<std::string>{"356938035643808", "12345"}));
}

TEST_F(OrderBookTest, LifecycleFollowsTheClock) {
  OrderBookSettings settings;
  settings.reject_ratio = 0;
  OrderBook book(settings, clock_);
  book.Place(check_, {NthImei(1)}, 1);
  book.Place(unlock_, {NthImei(1)}, 1);
  EXPECT_EQ(book.Lookup({1000001})[0].status, OrderStatus::kPending);
  clock_.Advance(milliseconds(1999));
  EXPECT_EQ(book.Lookup({1000001})[0].status, OrderStatus::kPending);
  clock_.Advance(milliseconds(1));
  EXPECT_EQ(book.Lookup({1000001})[0].status, OrderStatus::kInProcess);
  EXPECT_EQ(book.Lookup({1000001})[0].code, "");
  clock_.Advance(milliseconds(3000));
  OrderView done = book.Lookup({1000001})[0];
  EXPECT_EQ(done.status, OrderStatus::kCompleted);
  EXPECT_EQ(done.code, CompletedCode(ServiceKind::kAppleCheck, NthImei(1), settings.seed));
  EXPECT_NE(done.code.find("IMEI Number: " + NthImei(1)), std::string::npos);
  EXPECT_EQ(book.Lookup({1000002})[0].code.rfind("Unlock Code: ", 0), 0u);
}

TEST_F(OrderBookTest, RejectRatioOneRejectsWithAReason) {
  OrderBookSettings settings;
  settings.reject_ratio = 1;
  OrderBook book(settings, clock_);
  book.Place(check_, {NthImei(1)}, 1);
  clock_.Advance(milliseconds(5000));
  OrderView view = book.Lookup({1000001})[0];
  EXPECT_EQ(view.status, OrderStatus::kRejected);
  EXPECT_EQ(view.code, RejectionReason(NthImei(1), settings.seed));
  EXPECT_FALSE(view.code.empty());
}

TEST_F(OrderBookTest, RejectRatioIsRoughlyHonouredAndSeeded) {
  OrderBookSettings settings;
  settings.reject_ratio = 0.25;
  settings.process_after = milliseconds(0);
  settings.complete_after = milliseconds(0);
  auto rejected_ids = [&](uint64_t seed) {
    settings.seed = seed;
    OrderBook book(settings, clock_);
    std::vector<int64_t> ids;
    for (int i = 0; i < 400; ++i) ids.push_back(book.Place(check_, {NthImei(i)}, 1).created[0].id);
    std::vector<int64_t> rejected;
    for (const OrderView& v : book.Lookup(ids)) {
      if (v.status == OrderStatus::kRejected) rejected.push_back(v.id);
    }
    return rejected;
  };
  std::vector<int64_t> first = rejected_ids(42);
  EXPECT_GT(first.size(), 60u);
  EXPECT_LT(first.size(), 140u);
  EXPECT_EQ(first, rejected_ids(42));
  EXPECT_NE(first, rejected_ids(43));
}

TEST(StatusWordTest, WordsOfEveryStatus) {
  EXPECT_STREQ(StatusWord(OrderStatus::kPending), "Pending");
  EXPECT_STREQ(StatusWord(OrderStatus::kInProcess), "In Process");
  EXPECT_STREQ(StatusWord(OrderStatus::kCompleted), "Completed");
  EXPECT_STREQ(StatusWord(OrderStatus::kRejected), "Rejected");
}

}  // namespace
}  // namespace imeiflow::sim
