// The pages operators act on: /import, /review and /services.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/audit_log.h"
#include "store/job_repository.h"
#include "web/import_page.h"
#include "web/page_test_util.h"
#include "web/review_page.h"
#include "web/services_page.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

class OperatorPagesTest : public WebServerTest {
 protected:
  void SetUp() override {
    WebServerTest::SetUp();
    AddUser("ana", "operator", "password-ana");
    AddUser("vic", "viewer", "password-vic");
    ASSERT_TRUE(db_->Exec("INSERT INTO services(id, category, title, price_cents, delivery,"
                          " fetched_at) VALUES"
                          " ('1739', 'Apple', 'iPhone Check', 8, '1-5 Minutes', 0),"
                          " ('2001', 'Samsung', 'Samsung Info <b>', 125, 'Instant', 0)")
                    .ok());
  }

  int64_t Scalar(const std::string& sql) {
    Result<store::Statement> stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    if (!stmt.ok() || !stmt->Step().ok()) return -1;
    return stmt->ColumnInt(0);
  }

  std::string Text(const std::string& sql) {
    Result<store::Statement> stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    if (!stmt.ok()) return "";
    Result<bool> row = stmt->Step();
    return row.ok() && *row ? stmt->ColumnText(0) : "";
  }

  // A job of two IMEIs whose items both await review; returns the first item's id.
  int64_t AddUncertainItems() {
    store::NewJob job;
    job.service_id = "1739";
    job.price = Money::FromCents(8);
    store::NewItem a{.line = 1, .input = TestImei(1), .imei = TestImei(1), .reason = ""};
    store::NewItem b{.line = 2, .input = TestImei(2), .imei = TestImei(2), .reason = ""};
    Result<int64_t> id = store::JobRepository(*db_).Create(job, {a, b}, clock_->NowMs());
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE(
        db_->Exec("UPDATE items SET state = 'uncertain', reason = 'timeout after send'").ok());
    return Scalar("SELECT min(id) FROM items");
  }

  // The flash cookie `response` set, for the next request.
  static std::string Flash(const httplib::Result& response) {
    return "imeiflow_flash=" + SetCookieValueOf(response, "imeiflow_flash");
  }

  httplib::Result PostImport(const Browser& who, const std::string& csv) {
    httplib::MultipartFormDataItems form{{"csrf_token", who.csrf, "", ""},
                                         {"file", csv, "export.csv", "text/csv"}};
    return Client().Post("/import", who.headers(), form);
  }
};

constexpr std::string_view kExport =
    "SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,ORDER DATE\r\n"
    "iPhone Check,{},$0.08,Completed,Model: iPhone 13 - FMI: OFF,,,,,,2026-11-29 06:30:00\r\n"
    "iPhone Check,123,$0.08,Completed,x,,,,,,2026-11-29 06:30:00\r\n"
    "No Such Service,{},$0.08,Completed,x,,,,,,2026-11-29 06:30:00\r\n"
    "1739,{},$0.08,In Process,,,,,,,2026-11-29 06:31:00\r\n";

TEST_F(OperatorPagesTest, ImportThroughThePageReportsCountsAndRejectedLines) {
  Browser ana = LogIn("ana", "password-ana", "/import");
  httplib::Result form = Client().Get("/import", ana.headers());
  ASSERT_TRUE(form && form->status == 200);
  EXPECT_NE(form->body.find("enctype=\"multipart/form-data\""), std::string::npos);

  std::string csv = fmt::format(kExport, TestImei(1), TestImei(2), TestImei(3));
  httplib::Result done = PostImport(ana, csv);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_NE(done->body.find("id=\"import-inserted\">2<"), std::string::npos) << done->body;
  EXPECT_NE(done->body.find("id=\"import-rejected\">2<"), std::string::npos);
  EXPECT_NE(done->body.find("<td class=\"num\">3</td>"), std::string::npos);
  EXPECT_NE(done->body.find("<td class=\"num\">4</td>"), std::string::npos);
  EXPECT_EQ(Scalar("SELECT count(*) FROM orders"), 2);
  EXPECT_EQ(Text("SELECT fmi FROM orders WHERE imei = '" + TestImei(1) + "'"), "OFF");
  EXPECT_EQ(Text("SELECT actor FROM audit WHERE action LIKE '%import%'"), "ana");

  // The same file again changes nothing.
  httplib::Result again = PostImport(ana, csv);
  ASSERT_TRUE(again && again->status == 200);
  EXPECT_NE(again->body.find("id=\"import-unchanged\">2<"), std::string::npos);
  EXPECT_EQ(Scalar("SELECT count(*) FROM orders"), 2);
}

TEST_F(OperatorPagesTest, ImportOfAWrongFileSaysWhy) {
  Browser ana = LogIn("ana", "password-ana", "/import");
  httplib::Result done = PostImport(ana, "IMEI\n" + TestImei(1) + "\n");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 400);
  EXPECT_NE(done->body.find("id=\"import-error\">export.csv: "), std::string::npos);
  EXPECT_EQ(Scalar("SELECT count(*) FROM orders"), 0);
}

TEST_F(OperatorPagesTest, ViewersCannotImport) {
  Browser vic = LogIn("vic", "password-vic", "/orders");
  ASSERT_FALSE(vic.csrf.empty());
  httplib::Result form = Client().Get("/import", vic.headers());
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 403);
  httplib::Result done =
      PostImport(vic, fmt::format(kExport, TestImei(1), TestImei(2), TestImei(3)));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 403);
  EXPECT_EQ(Scalar("SELECT count(*) FROM orders"), 0);
}

TEST_F(OperatorPagesTest, ReviewDecisionChangesTheItemAndIsAudited) {
  int64_t item = AddUncertainItems();
  Browser ana = LogIn("ana", "password-ana", "/review");
  httplib::Result page = Client().Get("/review", ana.headers());
  ASSERT_TRUE(page && page->status == 200);
  // One form per item, one for the job's items, one for a selection.
  EXPECT_EQ(CountOf(page->body, "<input type=\"hidden\" name=\"item_id\""), 2);
  EXPECT_EQ(CountOf(page->body, "action=\"/review/decide\""), 4);
  EXPECT_NE(page->body.find("timeout after send"), std::string::npos);

  httplib::Result done = Client().Post(
      "/review/decide", ana.headers(),
      httplib::Params{
          {"csrf_token", ana.csrf}, {"item_id", std::to_string(item)}, {"decision", "cancel"}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 303);
  EXPECT_EQ(Text(fmt::format("SELECT state FROM items WHERE id = {}", item)), "cancelled");
  EXPECT_EQ(Text(fmt::format("SELECT state FROM items WHERE id = {}", item + 1)), "uncertain");
  EXPECT_EQ(Text("SELECT actor || ' ' || action || ' ' || detail FROM audit"
                 " WHERE action LIKE 'review%'"),
            fmt::format("ana review.cancel item {}", item));
  httplib::Result after = Client().Get("/review", {{"Cookie", ana.cookie + "; " + Flash(done)}});
  ASSERT_TRUE(after && after->status == 200);
  EXPECT_EQ(CountOf(after->body, "<input type=\"hidden\" name=\"item_id\""), 1);
  EXPECT_NE(after->body.find("1 item cancelled."), std::string::npos);

  // Deciding again on the same item changes nothing and says so.
  httplib::Result twice = Client().Post(
      "/review/decide", ana.headers(),
      httplib::Params{
          {"csrf_token", ana.csrf}, {"item_id", std::to_string(item)}, {"decision", "resend"}});
  ASSERT_TRUE(twice && twice->status == 303);
  EXPECT_EQ(Text(fmt::format("SELECT state FROM items WHERE id = {}", item)), "cancelled");
}

TEST_F(OperatorPagesTest, ImportResolvesReviewAndReviewOffersNoResendWhereAnOrderExists) {
  int64_t item = AddUncertainItems();
  Browser ana = LogIn("ana", "password-ana", "/import");
  std::string csv = fmt::format(
      "SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,ORDER DATE\r\n"
      "iPhone Check,{},$0.08,Completed,Model: iPhone 13,,,,,,2026-11-29 06:30:00\r\n",
      TestImei(1));
  httplib::Result done = PostImport(ana, csv);
  ASSERT_TRUE(done && done->status == 200);
  EXPECT_NE(done->body.find("id=\"import-resolved-review\">1<"), std::string::npos) << done->body;
  EXPECT_NE(done->body.find("items that needed review resolved: the supplier has them"),
            std::string::npos);
  EXPECT_EQ(Text(fmt::format("SELECT state FROM items WHERE id = {}", item)), "accepted");

  // The second IMEI's order turns up (e.g. another import): review shows it
  // and offers only "submitted".
  ASSERT_TRUE(db_->Exec(fmt::format("INSERT INTO orders(id, imei, service_id, status, price_cents,"
                                    " placed_at, updated_at) VALUES (77, '{}', '1739',"
                                    " 'in_process', 8, 1, 1)",
                                    TestImei(2)))
                  .ok());
  httplib::Result page = Client().Get("/review", ana.headers());
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find("<a href=\"/orders/77\">order 77</a> (In Process)"), std::string::npos)
      << page->body;
  EXPECT_EQ(CountOf(page->body, "<input type=\"hidden\" name=\"item_id\""), 1);
  // Resend only in the job's and the selection's forms, not in its row.
  EXPECT_EQ(CountOf(page->body, "value=\"resend\""), 2);
  httplib::Result resend = Client().Post(
      "/review/decide", ana.headers(),
      httplib::Params{
          {"csrf_token", ana.csrf}, {"item_id", std::to_string(item + 1)}, {"decision", "resend"}});
  ASSERT_TRUE(resend && resend->status == 303);
  EXPECT_EQ(Text(fmt::format("SELECT state FROM items WHERE id = {}", item + 1)), "uncertain");
  httplib::Result submitted = Client().Post("/review/decide", ana.headers(),
                                            httplib::Params{{"csrf_token", ana.csrf},
                                                            {"item_id", std::to_string(item + 1)},
                                                            {"decision", "submitted"}});
  ASSERT_TRUE(submitted && submitted->status == 303);
  EXPECT_EQ(Text(fmt::format("SELECT state || ':' || order_id FROM items WHERE id = {}", item + 1)),
            "accepted:77");
  EXPECT_EQ(Scalar("SELECT count(*) FROM orders"), 2);
}

TEST_F(OperatorPagesTest, ViewersSeeTheReviewQueueButCannotDecide) {
  int64_t item = AddUncertainItems();
  Browser vic = LogIn("vic", "password-vic", "/review");
  httplib::Result page = Client().Get("/review", vic.headers());
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find(TestImei(1)), std::string::npos);
  EXPECT_EQ(CountOf(page->body, "action=\"/review/decide\""), 0);
  httplib::Result done = Client().Post(
      "/review/decide", vic.headers(),
      httplib::Params{
          {"csrf_token", vic.csrf}, {"item_id", std::to_string(item)}, {"decision", "submitted"}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 403);
  EXPECT_EQ(Scalar("SELECT count(*) FROM items WHERE state = 'uncertain'"), 2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM orders"), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM audit WHERE action LIKE 'review%'"), 0);
}

TEST_F(OperatorPagesTest, ServicesAreListedEscapedAndFiltered) {
  Browser vic = LogIn("vic", "password-vic", "/services");
  httplib::Result all = Client().Get("/services", vic.headers());
  ASSERT_TRUE(all && all->status == 200);
  EXPECT_NE(all->body.find("<td>iPhone Check</td><td>Apple</td><td class=\"num\">$0.08</td>"),
            std::string::npos);
  EXPECT_NE(all->body.find("Samsung Info &lt;b&gt;"), std::string::npos);
  EXPECT_EQ(all->body.find("id=\"refresh-services\""), std::string::npos) << "viewer";
  httplib::Result some = Client().Get("/services?q=APPLE+check", vic.headers());
  ASSERT_TRUE(some && some->status == 200);
  EXPECT_NE(some->body.find("iPhone Check"), std::string::npos);
  EXPECT_EQ(some->body.find("Samsung Info"), std::string::npos);
  EXPECT_NE(some->body.find("1 of 2 cached services"), std::string::npos);
}

TEST_F(OperatorPagesTest, ViewersCannotRefreshServices) {
  Browser vic = LogIn("vic", "password-vic", "/services");
  httplib::Result done =
      Client().Post("/services/refresh", vic.headers(), httplib::Params{{"csrf_token", vic.csrf}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 403);
  EXPECT_EQ(Scalar("SELECT count(*) FROM services"), 2);
}

TEST(ServiceMatchesTest, EveryWordMustMatchIgnoringCase) {
  store::CachedService s{"1739", "Apple", "iPhone Carrier + FMI Check", Money(), "", "", 0};
  EXPECT_TRUE(ServiceMatches(s, ""));
  EXPECT_TRUE(ServiceMatches(s, "fmi"));
  EXPECT_TRUE(ServiceMatches(s, "apple  carrier"));
  EXPECT_TRUE(ServiceMatches(s, "1739"));
  EXPECT_FALSE(ServiceMatches(s, "fmi samsung"));
}

}  // namespace
}  // namespace imeiflow::web
