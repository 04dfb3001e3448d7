#include "store/job_figures.h"

#include <gtest/gtest.h>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

class JobFiguresTest : public TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    // Job 1: completed orders whose values come in the supplier's many
    // spellings, a rejected and a pending one; job 2 has one order.
    ASSERT_TRUE(
        db_->Exec(
               "INSERT INTO jobs(id, service_id, price_cents, created_at) VALUES"
               " (1, '1739', 8, 0), (2, '1739', 8, 0);"
               "INSERT INTO orders(id, imei, service_id, status, price_cents, job_id, placed_at,"
               " updated_at, code, carrier, simlock, fmi, gsma_status) VALUES"
               " (1, 'a', '1739', 'completed', 8, 1, 0, 0, '', 'Verizon USA', 'Locked', 'ON', ''),"
               " (2, 'b', '1739', 'completed', 8, 1, 0, 0, '', 'Verizon USA', 'locked', 'On', ''),"
               " (3, 'c', '1739', 'completed', 8, 1, 0, 0, '', 'Unlocked', 'Unlocked',"
               "  'FMI: OFF', 'Clean'),"
               " (4, 'd', '1739', 'completed', 8, 1, 0, 0, '', 'EE UK', '', '',"
               "  'Blacklisted (lost)'),"
               " (5, 'e', '1739', 'rejected', 8, 1, 0, 0, 'IMEI not found in GSX', '', '', '', ''),"
               " (6, 'f', '1739', 'pending', 8, 1, 0, 0, NULL, '', '', '', ''),"
               " (7, 'g', '1739', 'completed', 8, 2, 0, 0, '', 'EE UK', 'Locked', 'ON', '');"
               "INSERT INTO items(job_id, line, input, imei, state, reason, order_id, updated_at)"
               " VALUES (1, 2, 'b', 'b', 'accepted', '', 2, 0),"
               " (1, 1, 'a', 'a', 'accepted', '', 1, 0),"
               " (1, 3, 'e', 'e', 'accepted', '', 5, 0),"
               " (1, 4, 'x', 'x', 'invalid', 'not 15 digits', NULL, 0);")
            .ok());
  }
};

TEST_F(JobFiguresTest, SummaryCountsTheSuppliersSpellingsOfCompletedOrdersOfTheJob) {
  Result<JobResultSummary> s = ReadJobResultSummary(*db_, 1);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->fmi_on, 2);
  EXPECT_EQ(s->fmi_off, 1);
  EXPECT_EQ(s->locked, 2);
  EXPECT_EQ(s->unlocked, 1);
  EXPECT_EQ(s->blacklisted, 1);
  EXPECT_EQ(s->clean, 1);
  ASSERT_EQ(s->top_carriers.size(), 3u);
  EXPECT_EQ(s->top_carriers[0], std::make_pair(std::string("Verizon USA"), int64_t{2}));
  EXPECT_EQ(s->top_carriers[1], std::make_pair(std::string("EE UK"), int64_t{1}));
  EXPECT_TRUE(s->Any());
}

TEST_F(JobFiguresTest, ACarriersFigureCountsWhatItsLinkLists) {
  ASSERT_TRUE(db_->Exec("INSERT INTO jobs(id, service_id, price_cents, created_at)"
                        " VALUES (4, '1739', 8, 0);"
                        "INSERT INTO orders(imei, service_id, status, price_cents, job_id,"
                        " placed_at, updated_at, code, carrier) VALUES"
                        " ('p', '1739', 'completed', 8, 4, 0, 0, '', 'Unlocked'),"
                        " ('q', '1739', 'completed', 8, 4, 0, 0, '', 'Unlocked'),"
                        " ('r', '1739', 'completed', 8, 4, 0, 0, '', 'Unlocked (Multi-Carrier)')")
                  .ok());
  Result<JobResultSummary> s = ReadJobResultSummary(*db_, 4);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->top_carriers.size(), 2u);
  // /orders?job=4&carrier=Unlocked lists the three orders holding the text.
  EXPECT_EQ(s->top_carriers[0], std::make_pair(std::string("Unlocked"), int64_t{3}));
  EXPECT_EQ(s->top_carriers[1],
            std::make_pair(std::string("Unlocked (Multi-Carrier)"), int64_t{1}));
}

TEST_F(JobFiguresTest, AJobWithoutCheckerResultsHasNoSummary) {
  ASSERT_TRUE(db_->Exec("INSERT INTO jobs(id, service_id, price_cents, created_at)"
                        " VALUES (3, '1', 8, 0)")
                  .ok());
  Result<JobResultSummary> s = ReadJobResultSummary(*db_, 3);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->Any());
}

TEST_F(JobFiguresTest, ItemResultsComeByLineWithTheirOrdersResult) {
  Result<std::vector<ItemResult>> items = ReadItemResults(*db_, 1, 0, 10);
  ASSERT_TRUE(items.ok()) << items.status().message();
  ASSERT_EQ(items->size(), 4u);
  EXPECT_EQ((*items)[0].item.line, 1);
  EXPECT_EQ((*items)[0].order_status, "completed");
  EXPECT_EQ((*items)[0].fmi, "ON");
  EXPECT_EQ((*items)[0].simlock, "Locked");
  EXPECT_EQ((*items)[0].carrier, "Verizon USA");
  EXPECT_EQ((*items)[2].order_status, "rejected");
  EXPECT_EQ((*items)[2].code, "IMEI not found in GSX");
  EXPECT_EQ((*items)[3].item.state, ItemState::kInvalid);
  EXPECT_EQ((*items)[3].order_status, "");
  Result<std::vector<ItemResult>> page2 = ReadItemResults(*db_, 1, 2, 2);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[0].item.line, 3);
}

}  // namespace
}  // namespace imeiflow::store
