#include "store/job_submission.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class JobSubmissionTest : public TestDatabase {
 protected:
  CachedService Service() {
    CachedService service;
    service.id = "1739";
    service.title = "Carrier check";
    service.price = Money::FromCents(8);
    return service;
  }
  /// Stores an order of `imei` for service 1739 with `status` and `code`.
  void AddOrder(const std::string& imei, const std::string& status, const std::string& code) {
    ASSERT_TRUE(db_->Exec(fmt::format("INSERT INTO orders(imei, service_id, status, price_cents,"
                                      " placed_at, updated_at, code) VALUES ('{}', '1739', '{}',"
                                      " 8, 1, 1, '{}')",
                                      imei, status, code))
                    .ok());
  }
  /// Four IMEIs: A completed, B and C rejected ("Blacklisted" twice: C's
  /// latest order), D rejected ("Not found"), and one never ordered.
  CheckReport RejectedBeforeInput() {
    AddOrder(kA, "completed", "Model: iPhone");
    AddOrder(kB, "rejected", "Blacklisted");
    AddOrder(kC, "completed", "Model: X");
    AddOrder(kC, "rejected", "Blacklisted");
    AddOrder(kD, "rejected", "Not found");
    Result<CheckReport> report =
        ParseImeiInput(fmt::format("{}\n{}\n{}\n{}\n{}\n", kA, kB, kC, kD, kNew));
    EXPECT_TRUE(report.ok());
    return *report;
  }
  static constexpr const char* kA = "352099001761481";
  static constexpr const char* kB = "490154203237518";
  static constexpr const char* kC = "356938035643809";
  static constexpr const char* kD = "353918051234561";
  static constexpr const char* kNew = "358240051111110";
};

TEST_F(JobSubmissionTest, CreatesTheJobCountsTheCostAndAuditsWhoAsked) {
  Result<CheckReport> report =
      ParseImeiInput("352099001761481\nhello\n490154203237518\n352099001761481\n");
  ASSERT_TRUE(report.ok());
  SubmissionOptions how;
  how.source = "api";
  how.created_by = "ann";
  Result<Submission> submitted = SubmitJob(*db_, Service(), *report, how, 1000);
  ASSERT_TRUE(submitted.ok()) << submitted.status().message();
  EXPECT_EQ(submitted->job.counts.at(ItemState::kQueued), 2);
  EXPECT_EQ(submitted->job.counts.at(ItemState::kInvalid), 1);
  EXPECT_EQ(submitted->estimated_cost, Money::FromCents(16));
  EXPECT_EQ(submitted->job.spec.created_by, "ann");
  EXPECT_EQ(Query("SELECT line FROM items WHERE state = 'invalid'"), "2");
  EXPECT_EQ(Query("SELECT actor || ' ' || action FROM audit"), "ann job.submit");
  EXPECT_NE(Query("SELECT detail FROM audit").find("2 IMEIs queued, 1 invalid"), std::string::npos);
}

TEST_F(JobSubmissionTest, AlreadyOrderedImeisAreNotCharged) {
  Result<CheckReport> report = ParseImeiInput("352099001761481\n490154203237518\n");
  ASSERT_TRUE(report.ok());
  ASSERT_TRUE(SubmitJob(*db_, Service(), *report, {}, 1000).ok());
  Result<Submission> again = SubmitJob(*db_, Service(), *report, {}, 2000);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->job.counts.at(ItemState::kSkippedDuplicate), 2);
  EXPECT_EQ(again->estimated_cost, Money());
  SubmissionOptions recheck;
  recheck.recheck = true;
  Result<Submission> rechecked = SubmitJob(*db_, Service(), *report, recheck, 3000);
  ASSERT_TRUE(rechecked.ok());
  EXPECT_EQ(rechecked->estimated_cost, Money::FromCents(16));
}

TEST_F(JobSubmissionTest, PreviewFindsTheImeisRejectedBeforeWithTheTopReasons) {
  CheckReport report = RejectedBeforeInput();
  Result<SubmissionPreview> preview = PreviewSubmission(*db_, Service(), report, {}, Money::FromCents(500), 1000);
  ASSERT_TRUE(preview.ok()) << preview.status().message();
  EXPECT_EQ(preview->valid, 5);
  // A and C have a non-rejected order: already ordered, not "rejected before".
  ASSERT_EQ(preview->already_ordered.size(), 2u);
  EXPECT_EQ(preview->already_ordered[0].imei, kA);
  ASSERT_EQ(preview->rejected_before.size(), 2u);
  EXPECT_EQ(preview->rejected_before[0].imei, kB);
  EXPECT_EQ(preview->rejected_before[0].line, 2);
  EXPECT_EQ(preview->rejected_before[0].reason, "Blacklisted");
  EXPECT_EQ(preview->rejected_before[1].reason, "Not found");
  ASSERT_EQ(preview->top_reasons.size(), 2u);
  EXPECT_EQ(preview->top_reasons[0].count, 1);
  // Rejected before is ordered again unless asked: B, D and the new one.
  EXPECT_EQ(preview->to_order, 3);
  EXPECT_EQ(preview->estimated_cost, Money::FromCents(24));
  EXPECT_EQ(preview->spending.cap, Money::FromCents(500));
  EXPECT_FALSE(preview->spending.Exceeds(preview->estimated_cost));
  // The preview writes nothing.
  EXPECT_EQ(Query("SELECT count(*) FROM jobs"), "0");
}

TEST_F(JobSubmissionTest, TopReasonsCountAndSortMostFrequentFirst) {
  const char* imeis[] = {kA, kB, kC, kD};
  const char* reasons[] = {"Not found", "Blacklisted", "Blacklisted", "Blacklisted"};
  for (int i = 0; i < 4; ++i) AddOrder(imeis[i], "rejected", reasons[i]);
  Result<CheckReport> report = ParseImeiInput(fmt::format("{}\n{}\n{}\n{}\n", kA, kB, kC, kD));
  ASSERT_TRUE(report.ok());
  Result<SubmissionPreview> preview = PreviewSubmission(*db_, Service(), *report, {}, std::nullopt, 1000);
  ASSERT_TRUE(preview.ok());
  ASSERT_EQ(preview->top_reasons.size(), 2u);
  EXPECT_EQ(preview->top_reasons[0].reason, "Blacklisted");
  EXPECT_EQ(preview->top_reasons[0].count, 3);
  EXPECT_EQ(preview->top_reasons[1].reason, "Not found");
  EXPECT_FALSE(preview->spending.cap);
  nlohmann::json json = PreviewJson(*preview);
  EXPECT_EQ(json["rejected_before"]["count"], 4);
  EXPECT_EQ(json["rejected_before"]["top_reasons"][0]["count"], 3);
  EXPECT_EQ(json["estimated_cost"], "0.32");
  EXPECT_TRUE(json["daily_cap"].is_null());
}

TEST_F(JobSubmissionTest, SkipRejectedLeavesThemOutAndDoesNotChargeThem) {
  CheckReport report = RejectedBeforeInput();
  SubmissionOptions how;
  how.skip_rejected = true;
  Result<SubmissionPreview> preview = PreviewSubmission(*db_, Service(), report, how, std::nullopt, 1000);
  ASSERT_TRUE(preview.ok());
  EXPECT_EQ(preview->rejected_before.size(), 2u);
  EXPECT_EQ(preview->to_order, 1);
  EXPECT_EQ(preview->estimated_cost, Money::FromCents(8));
  Result<Submission> submitted = SubmitJob(*db_, Service(), report, how, 2000);
  ASSERT_TRUE(submitted.ok()) << submitted.status().message();
  EXPECT_EQ(submitted->job.counts.at(ItemState::kQueued), 1);
  EXPECT_EQ(submitted->job.counts.at(ItemState::kSkippedDuplicate), 4);
  EXPECT_EQ(submitted->rejected_left_out, 2);
  EXPECT_EQ(submitted->estimated_cost, preview->estimated_cost);
  EXPECT_EQ(Query(fmt::format("SELECT reason FROM items WHERE imei = '{}'", kB)),
            "rejected before: Blacklisted");
  EXPECT_EQ(Query(fmt::format("SELECT state FROM items WHERE imei = '{}'", kNew)), "queued");
  EXPECT_NE(Query("SELECT detail FROM audit").find("2 rejected before left out"),
            std::string::npos);
}

TEST_F(JobSubmissionTest, WithoutSkipRejectedTheyAreQueuedAsToday) {
  CheckReport report = RejectedBeforeInput();
  Result<Submission> submitted = SubmitJob(*db_, Service(), report, {}, 2000);
  ASSERT_TRUE(submitted.ok());
  EXPECT_EQ(submitted->job.counts.at(ItemState::kQueued), 3);
  EXPECT_EQ(submitted->rejected_left_out, 0);
}

TEST_F(JobSubmissionTest, RecheckOrdersAlreadyOrderedAndStillShowsRejectedBefore) {
  CheckReport report = RejectedBeforeInput();
  SubmissionOptions how;
  how.recheck = true;
  Result<SubmissionPreview> preview = PreviewSubmission(*db_, Service(), report, how, std::nullopt, 1000);
  ASSERT_TRUE(preview.ok());
  EXPECT_TRUE(preview->already_ordered.empty());
  // C's latest order was rejected: with recheck it is "rejected before" too.
  EXPECT_EQ(preview->rejected_before.size(), 3u);
  EXPECT_EQ(preview->to_order, 5);
  how.skip_rejected = true;
  preview = PreviewSubmission(*db_, Service(), report, how, std::nullopt, 1000);
  ASSERT_TRUE(preview.ok());
  EXPECT_EQ(preview->to_order, 2);
  Result<Submission> submitted = SubmitJob(*db_, Service(), report, how, 2000);
  ASSERT_TRUE(submitted.ok());
  EXPECT_EQ(submitted->job.counts.at(ItemState::kQueued), 2);
}

TEST_F(JobSubmissionTest, QueuedAheadCountsOlderJobsOpenItemsOnly) {
  Result<CheckReport> first = ParseImeiInput(fmt::format("{}\n{}\n", kA, kB));
  Result<CheckReport> second = ParseImeiInput(fmt::format("{}\n", kC));
  ASSERT_TRUE(first.ok() && second.ok());
  Result<Submission> older = SubmitJob(*db_, Service(), *first, {}, 1000);
  Result<Submission> newer = SubmitJob(*db_, Service(), *second, {}, 2000);
  ASSERT_TRUE(older.ok() && newer.ok());
  EXPECT_EQ(*QueuedAhead(*db_, newer->job.id), 2);
  EXPECT_EQ(*QueuedAhead(*db_, older->job.id), 0);
  ASSERT_TRUE(db_->Exec("UPDATE items SET state = 'accepted' WHERE job_id = 1 AND line = 1").ok());
  EXPECT_EQ(*QueuedAhead(*db_, newer->job.id), 1);
}

}  // namespace
}  // namespace imeiflow::store
