#include "web/review_page.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "web/test_server.h"

namespace imeiflow::web {
namespace {

class ReviewPageTest : public WebServerTest {
 protected:
  // Job 1 with `first` uncertain items, job 2 with `second`; item ids count
  // from 1 in that order, IMEIs are "35000000000" + the id.
  void AddUncertain(int first, int second) {
    std::string sql =
        "INSERT INTO jobs(id, service_id, price_cents, created_at) VALUES"
        " (1, '1739', 8, 0), (2, '1739', 8, 0);";
    for (int id = 1; id <= first + second; ++id) {
      sql += fmt::format(
          "INSERT INTO items(id, job_id, line, input, imei, state, reason, updated_at)"
          " VALUES ({0}, {1}, {0}, '{2}', '{2}', 'uncertain', '{3}', {0});",
          id, id <= first ? 1 : 2, Imei(id),
          "timed out after sending to https://supplier.test/api (timed out); the supplier may "
          "have acted on it");
    }
    ASSERT_TRUE(db_->Exec(sql).ok());
  }

  static std::string Imei(int id) { return fmt::format("35000000000{:04}", id); }

  int64_t Scalar(const std::string& sql) {
    Result<store::Statement> stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    if (!stmt.ok()) return -1;
    Result<bool> row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row);
    return stmt->ColumnInt(0);
  }

  static int CountOf(const std::string& body, const std::string& text) {
    int n = 0;
    for (size_t at = body.find(text); at != std::string::npos; at = body.find(text, at + 1)) ++n;
    return n;
  }

  Browser Operator() {
    AddUser("ana", "operator", "password-ana");
    return LogIn("ana", "password-ana", "/review");
  }
};

TEST_F(ReviewPageTest, SixtyEightItemsArePagedAndGroupedByJob) {
  AddUncertain(60, 8);
  Browser ana = Operator();
  httplib::Result first = Client().Get("/review", ana.headers());
  ASSERT_TRUE(first && first->status == 200);
  EXPECT_EQ(CountOf(first->body, "<tr id=\"review-item-"), 50);
  EXPECT_NE(first->body.find("<strong id=\"review-count\">68</strong> items await"),
            std::string::npos);
  EXPECT_NE(first->body.find("Page 1 of 2"), std::string::npos);
  EXPECT_NE(first->body.find("href=\"/review?page=2\" rel=\"next\""), std::string::npos);
  EXPECT_NE(first->body.find("id=\"review-job-1\""), std::string::npos);
  EXPECT_EQ(first->body.find("id=\"review-job-2\""), std::string::npos);

  httplib::Result second = Client().Get("/review?page=2", ana.headers());
  ASSERT_TRUE(second && second->status == 200);
  EXPECT_EQ(CountOf(second->body, "<tr id=\"review-item-"), 18);
  EXPECT_NE(second->body.find("id=\"review-job-1\""), std::string::npos);  // its last 10
  EXPECT_NE(second->body.find("id=\"review-job-2\""), std::string::npos);
  EXPECT_NE(second->body.find("id=\"review-item-68\""), std::string::npos);

  httplib::Result job2 = Client().Get("/review?job=2", ana.headers());
  ASSERT_TRUE(job2 && job2->status == 200);
  EXPECT_EQ(CountOf(job2->body, "<tr id=\"review-item-"), 8);
  EXPECT_NE(job2->body.find("items await review\n  in job"), std::string::npos);
}

TEST_F(ReviewPageTest, ReasonsAreInPlainWordsWithTheRawTextBehindAToggle) {
  AddUncertain(1, 0);
  Browser ana = Operator();
  httplib::Result page = Client().Get("/review", ana.headers());
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find("<details><summary>no answer from the supplier in 60 s after "
                            "sending</summary><code class=\"raw-reason\">timed out after sending"),
            std::string::npos)
      << page->body;
}

TEST_F(ReviewPageTest, ABulkDecisionOnTwoSelectedItemsChangesExactlyThoseAndIsAudited) {
  AddUncertain(60, 8);
  Browser ana = Operator();
  httplib::Result done = Client().Post("/review/decide", ana.headers(),
                                       httplib::Params{{"csrf_token", ana.csrf},
                                                       {"item_id", "3"},
                                                       {"item_id", "55"},
                                                       {"decision", "cancel"},
                                                       {"back_page", "2"},
                                                       {"back_job", ""}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 303);
  EXPECT_EQ(done->get_header_value("Location"), "/review?page=2");
  EXPECT_EQ(Scalar("SELECT count(*) FROM items WHERE state = 'cancelled'"), 2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM items WHERE state = 'cancelled' AND id IN (3, 55)"), 2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM items WHERE state = 'uncertain'"), 66);
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit WHERE action = 'review.cancel' AND actor = 'ana'"
                   " AND detail IN ('item 3', 'item 55')"),
            2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit WHERE action LIKE 'review.%'"), 2);
}

TEST_F(ReviewPageTest, AJobsBulkDecisionChangesAllItsItemsAndKeepsTheFilter) {
  AddUncertain(60, 8);
  Browser ana = Operator();
  httplib::Result done = Client().Post("/review/decide", ana.headers(),
                                       httplib::Params{{"csrf_token", ana.csrf},
                                                       {"job_id", "2"},
                                                       {"decision", "resend"},
                                                       {"back_page", "1"},
                                                       {"back_job", "2"}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 303);
  EXPECT_EQ(done->get_header_value("Location"), "/review?job=2");
  EXPECT_EQ(Scalar("SELECT count(*) FROM items WHERE job_id = 2 AND state = 'queued'"), 8);
  EXPECT_EQ(Scalar("SELECT count(*) FROM items WHERE job_id = 1 AND state = 'uncertain'"), 60);
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit WHERE action = 'review.resend'"), 8);
}

TEST_F(ReviewPageTest, TheListedImeisCanBeCopiedAndDownloaded) {
  AddUncertain(2, 1);
  Browser ana = Operator();
  httplib::Result page = Client().Get("/review", ana.headers());
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find(fmt::format("id=\"review-imeis\" readonly hidden>{}\n{}\n{}\n", Imei(1),
                                        Imei(2), Imei(3))),
            std::string::npos);
  httplib::Result text = Client().Get("/review/imeis.txt?job=1", ana.headers());
  ASSERT_TRUE(text && text->status == 200);
  EXPECT_EQ(text->body, Imei(1) + "\n" + Imei(2) + "\n");
  EXPECT_EQ(text->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_NE(text->get_header_value("Content-Disposition").find("review-job-1-imeis.txt"),
            std::string::npos);
}

}  // namespace
}  // namespace imeiflow::web
