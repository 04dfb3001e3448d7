#include "web/order_pages.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "web/cookies.h"
#include "web/page_test_util.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

constexpr int64_t kPlaced = 1'795'910'400'000;  // 2026-11-29 00:00 UTC
constexpr std::string_view kExportHeader =
    "SERVICE,IMEI NO.,CREDITS,STATUS,CODE,IMEI 2,CARRIER,SIMLOCK,MODEL,FMI,ORDER DATE\r\n";

class OrderPagesTest : public WebServerTest {
 protected:
  void SetUp() override {
    WebServerTest::SetUp();
    AddUser("vic", "viewer", "password-vic");
    ASSERT_TRUE(db_->Exec("INSERT INTO services(id, category, title, price_cents, delivery,"
                          " fetched_at) VALUES ('1739', 'Apple', 'iPhone Check', 8, '1 min', 0);"
                          "INSERT INTO jobs(id, service_id, price_cents, created_at)"
                          " VALUES (1, '1739', 8, 0), (2, '1739', 8, 0)")
                    .ok());
  }

  // GET `path` with the query `params` as the viewer.
  httplib::Result Get(const std::string& path, const httplib::Params& params = {}) {
    if (!viewer_) viewer_ = LogIn("vic", "password-vic");
    std::string query;
    for (const auto& [name, value] : params) {
      query += fmt::format("{}{}={}", query.empty() ? "?" : "&", name, PercentEncode(value));
    }
    return Client().Get(path + query, viewer_->headers());
  }

  // Submits the search form (POST, multipart) with `fields` as the viewer.
  httplib::Result Search(const httplib::Params& fields) {
    if (!viewer_) viewer_ = LogIn("vic", "password-vic");
    httplib::MultipartFormDataItems form{{"csrf_token", viewer_->csrf, "", ""}};
    for (const auto& [name, value] : fields) form.push_back({name, value, "", ""});
    return Client().Post("/orders", viewer_->headers(), form);
  }

  std::optional<Browser> viewer_;
};

TEST_F(OrderPagesTest, PastedImeisAreSearchedAndTheRestReported) {
  AddOrder(*db_, TestImei(1), kPlaced);
  AddOrder(*db_, TestImei(2), kPlaced + 1000);
  AddOrder(*db_, TestImei(3), kPlaced + 2000);
  std::string pasted =
      fmt::format("{}, {}\nnot-an-imei\n{}", TestImei(1), TestImei(2), TestImei(9));
  httplib::Result page = Search({{"imei", pasted}});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_NE(page->body.find("id=\"imei-search\""), std::string::npos);
  EXPECT_NE(page->body.find("id=\"search\""), std::string::npos);
  std::string orders = page->body.substr(page->body.find("<table id=\"orders\">"));
  EXPECT_NE(orders.find(TestImei(1)), std::string::npos);
  EXPECT_NE(orders.find(TestImei(2)), std::string::npos);
  EXPECT_EQ(orders.find(TestImei(3)), std::string::npos) << "not in the list";
  // The IMEI without an order is listed as not found, the bad entry with its line.
  std::string not_found = page->body.substr(page->body.find("id=\"not-found\""));
  EXPECT_NE(not_found.find("1 of the 3 IMEIs searched have no order"), std::string::npos);
  EXPECT_NE(not_found.find(TestImei(9)), std::string::npos);
  std::string invalid = page->body.substr(page->body.find("id=\"invalid-imeis\""));
  EXPECT_NE(invalid.find("<td class=\"num\">2</td><td><code>not-an-imei</code>"),
            std::string::npos);
}

TEST_F(OrderPagesTest, FiltersAndPagesWithoutAList) {
  for (int i = 0; i < 130; ++i) AddOrder(*db_, TestImei(i), kPlaced + i * 1000, i < 5 ? 2 : 1);
  httplib::Result first = Get("/orders");
  ASSERT_TRUE(first && first->status == 200);
  EXPECT_EQ(CountOf(first->body, "\">details</a>"), kOrdersPageSize);
  EXPECT_NE(first->body.find(TestImei(129)), std::string::npos) << "newest first";
  EXPECT_EQ(HrefOf(first->body, "next-page"), "/orders?page=2");
  httplib::Result second = Get("/orders", {{"page", "2"}});
  ASSERT_TRUE(second && second->status == 200);
  EXPECT_EQ(CountOf(second->body, "\">details</a>"), 30);
  EXPECT_EQ(second->body.find("rel=\"next\""), std::string::npos);

  httplib::Result job = Get("/orders", {{"job", "2"}, {"until", "2026-11-29"}});
  ASSERT_TRUE(job && job->status == 200);
  EXPECT_EQ(CountOf(job->body, "\">details</a>"), 5);
  httplib::Result bad = Get("/orders", {{"since", "yesterday"}});
  ASSERT_TRUE(bad && bad->status == 200);
  EXPECT_NE(bad->body.find("since: &quot;yesterday&quot; is not a date"), std::string::npos);
}

TEST_F(OrderPagesTest, HundredPastedImeisExportAsCsv) {
  std::string pasted;
  for (int i = 0; i < 120; ++i) {
    AddOrder(*db_, TestImei(i), kPlaced + i * 1000, 1, i == 7 ? "Model: =SUM(A1) - FMI: ON" : "");
    if (i < 100) pasted += TestImei(i) + ", ";
  }
  httplib::Result page = Search({{"imei", pasted}});
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_EQ(CountOf(page->body, "\">details</a>"), 100);
  EXPECT_EQ(page->body.find("id=\"not-found\""), std::string::npos);
  // "CSV for tools": the supplier's layout, byte for byte.
  std::string href = HrefOf(page->body, "export-csv-tools");
  ASSERT_EQ(href.rfind("/orders/export-supplier.csv?imei=", 0), 0u) << href;

  httplib::Result csv = Client().Get(href, viewer_->headers());
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv->get_header_value("Content-Disposition").rfind("attachment; filename=\"", 0), 0u);
  ASSERT_EQ(csv->body.substr(0, kExportHeader.size()), kExportHeader);
  EXPECT_EQ(CountOf(csv->body, "\r\n"), 101);
  for (int i = 0; i < 120; ++i) {
    EXPECT_EQ(csv->body.find("," + TestImei(i) + ",") != std::string::npos, i < 100) << i;
  }
  // In the pasted order, in the supplier's layout, the formula neutralised.
  const std::string first = "iPhone Check," + TestImei(0) + ",$0.08,Pending,";
  EXPECT_EQ(csv->body.substr(kExportHeader.size(), first.size()), first);
  EXPECT_NE(csv->body.find("'=SUM(A1)"), std::string::npos);

  // The default "CSV for Excel": the same rows, IMEIs as ="..." text, UTC in the header.
  std::string excel_href = HrefOf(page->body, "export-csv");
  ASSERT_EQ(excel_href.rfind("/orders/export.csv?imei=", 0), 0u) << excel_href;
  EXPECT_NE(page->body.find("CSV for Excel"), std::string::npos);
  httplib::Result excel = Client().Get(excel_href, viewer_->headers());
  ASSERT_TRUE(excel && excel->status == 200);
  EXPECT_TRUE(excel->body.starts_with("\xEF\xBB\xBFSERVICE,IMEI NO.,")) << excel->body.substr(0, 40);
  EXPECT_NE(excel->body.find(",ORDER DATE (UTC)\r\n"), std::string::npos);
  EXPECT_EQ(CountOf(excel->body, "\r\n"), 101);
  EXPECT_NE(excel->body.find(",\"=\"\"" + TestImei(99) + "\"\"\",$0.08,"), std::string::npos);
  EXPECT_NE(excel->body.find("'=SUM(A1)"), std::string::npos) << "supplier text stays neutralised";
}

TEST_F(OrderPagesTest, AThousandPastedImeisArePagedAndExportedThroughASavedSelection) {
  std::string pasted;
  for (int i = 0; i < 1500; ++i) pasted += TestImei(i) + "\n";
  for (int i = 0; i < 1200; ++i) AddOrder(*db_, TestImei(i), kPlaced + i);
  httplib::Result page = Search({{"imei", pasted}, {"status", "pending"}});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  EXPECT_EQ(CountOf(page->body, "\">details</a>"), kOrdersListPageSize);
  EXPECT_NE(page->body.find("300 of the 1,500 IMEIs searched have no order"), std::string::npos);
  // Too long for a link: the selection is kept on the server and linked by its key.
  std::string next = HrefOf(page->body, "next-page");
  ASSERT_EQ(next.rfind("/orders?selection=", 0), 0u) << next;
  httplib::Result second = Client().Get(next, viewer_->headers());
  ASSERT_TRUE(second && second->status == 200);
  EXPECT_EQ(CountOf(second->body, "\">details</a>"), 200);
  EXPECT_NE(second->body.find("selected>pending</option>"), std::string::npos);

  std::string href = HrefOf(page->body, "export-csv");
  ASSERT_EQ(href.rfind("/orders/export.csv?selection=", 0), 0u) << href;
  httplib::Result csv = Client().Get(href, viewer_->headers());
  ASSERT_TRUE(csv && csv->status == 200);
  // 1,200 orders and a "no order" row for each of the 300 IMEIs without one.
  EXPECT_EQ(CountOf(csv->body, "\r\n"), 1501);
  EXPECT_EQ(CountOf(csv->body, ",no order,"), 300);

  // The key is the user's own, and a forgotten key asks to search again.
  AddUser("other", "viewer", "password-other");
  Browser other = LogIn("other", "password-other");
  httplib::Result stolen = Client().Get(href, other.headers());
  ASSERT_TRUE(stolen);
  EXPECT_EQ(stolen->status, 404);
  EXPECT_NE(stolen->body.find("search again"), std::string::npos);
}

// Issue 12: a search of a pasted list ignored the pasted order and dropped
// the IMEIs without an order, on the page and in its export.
TEST_F(OrderPagesTest, APastedListKeepsItsOrderWithNoOrderRows) {
  AddOrder(*db_, TestImei(1), kPlaced);
  AddOrder(*db_, TestImei(2), kPlaced + 1000);
  std::string pasted = fmt::format("{}\n{}\n{}", TestImei(2), TestImei(9), TestImei(1));
  httplib::Result page = Search({{"imei", pasted}});
  ASSERT_TRUE(page && page->status == 200) << (page ? page->body : "");
  std::string table = page->body.substr(page->body.find("<table id=\"orders\">"));
  size_t second = table.find(TestImei(2));
  size_t missing = table.find(TestImei(9));
  size_t first = table.find(TestImei(1));
  ASSERT_NE(missing, std::string::npos);
  EXPECT_LT(second, missing);
  EXPECT_LT(missing, first);
  EXPECT_NE(table.find("no order", missing), std::string::npos);
  EXPECT_EQ(CountOf(table, "class=\"no-order\""), 1);
  EXPECT_NE(page->body.find("2 orders, page 1 of 1"), std::string::npos);

  // The supplier layout (for tools); the CSV for Excel has the same rows.
  httplib::Result csv =
      Client().Get(HrefOf(page->body, "export-csv-tools"), viewer_->headers());
  ASSERT_TRUE(csv && csv->status == 200);
  std::string rows = csv->body.substr(kExportHeader.size());
  EXPECT_LT(rows.find(TestImei(2)), rows.find(TestImei(9)));
  EXPECT_LT(rows.find(TestImei(9)), rows.find(TestImei(1)));
  EXPECT_NE(rows.find("," + TestImei(9) + ",,no order,"), std::string::npos) << rows;
  httplib::Result excel = Client().Get(HrefOf(page->body, "export-csv"), viewer_->headers());
  ASSERT_TRUE(excel && excel->status == 200);
  EXPECT_NE(excel->body.find(",\"=\"\"" + TestImei(9) + "\"\"\",,no order,"), std::string::npos)
      << excel->body;
}

// Issue 12: no SIM-lock column, no rejection reason, no filter by result.
TEST_F(OrderPagesTest, ResultColumnsReasonsAndResultFilters) {
  AddOrder(*db_, TestImei(1), kPlaced, 1,
           "Model: iPhone 13 - Carrier: T-Mobile USA - Find My iPhone: ON - SimLock: Locked");
  AddOrder(*db_, TestImei(2), kPlaced + 1, 1, "Model: iPhone 12 - FMI: OFF - SimLock: Unlocked");
  int64_t rejected = AddOrder(*db_, TestImei(3), kPlaced + 2, 1);
  ASSERT_TRUE(db_->Exec(fmt::format("UPDATE orders SET status = 'rejected', code = 'Invalid IMEI'"
                                    " WHERE id = {}",
                                    rejected))
                  .ok());
  httplib::Result all = Get("/orders", {{"job", "1"}});
  ASSERT_TRUE(all && all->status == 200);
  std::string head = all->body.substr(all->body.find("<thead>"));
  head = head.substr(0, head.find("</thead>"));
  for (const char* shown : {"<th>Model</th>", "<th>Carrier</th>", "<th>SIM-lock</th>",
                            "<th>FMI</th>", "<th>Reason</th>"}) {
    EXPECT_NE(head.find(shown), std::string::npos) << shown;
  }
  EXPECT_EQ(head.find("<th>Serial</th>"), std::string::npos) << "no row has one";
  EXPECT_NE(all->body.find("<td>Invalid IMEI</td>"), std::string::npos);
  EXPECT_NE(all->body.find("<td>Locked</td>"), std::string::npos);
  EXPECT_NE(all->body.find("3 orders, page 1 of 1"), std::string::npos);

  httplib::Result on = Get("/orders", {{"job", "1"}, {"fmi", "on"}});
  ASSERT_TRUE(on && on->status == 200);
  EXPECT_EQ(CountOf(on->body, "\">details</a>"), 1);
  EXPECT_NE(on->body.find(TestImei(1)), std::string::npos);
  EXPECT_NE(on->body.find("<option value=\"on\" selected>FMI on</option>"), std::string::npos);
  EXPECT_EQ(HrefOf(on->body, "export-csv"), "/orders/export.csv?fmi=on&job=1");
  httplib::Result unlocked = Get("/orders", {{"simlock", "unlocked"}, {"carrier", ""}});
  ASSERT_TRUE(unlocked && unlocked->status == 200);
  EXPECT_EQ(CountOf(unlocked->body, "\">details</a>"), 1);
  EXPECT_NE(unlocked->body.find(TestImei(2)), std::string::npos);
  httplib::Result carrier = Get("/orders", {{"carrier", "t-mobile"}});
  EXPECT_EQ(CountOf(carrier->body, "\">details</a>"), 1);
  httplib::Result reason = Get("/orders", {{"code", "invalid"}});
  EXPECT_EQ(CountOf(reason->body, "\">details</a>"), 1);
  EXPECT_NE(reason->body.find(TestImei(3)), std::string::npos);

  httplib::Result bad = Get("/orders", {{"fmi", "maybe"}});
  ASSERT_TRUE(bad && bad->status == 200);
  EXPECT_NE(bad->body.find("fmi: &quot;maybe&quot; is not one of: on, off"), std::string::npos);
  httplib::Result bad_export = Get("/orders/export.csv", {{"blacklisted", "perhaps"}});
  ASSERT_TRUE(bad_export);
  EXPECT_EQ(bad_export->status, 400);
}

TEST_F(OrderPagesTest, StatusesInTheShopsWords) {
  int64_t busy = AddOrder(*db_, TestImei(1), kPlaced, 1);
  ASSERT_TRUE(
      db_->Exec(fmt::format("UPDATE orders SET status = 'in_process' WHERE id = {}", busy)).ok());
  // Imported from the supplier's export without its order id: never polled.
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(imei, service_id, status, price_cents, placed_at,"
                        " updated_at) VALUES ('" +
                        TestImei(2) + "', '1739', 'pending', 8, 5, 5)")
                  .ok());
  httplib::Result page = Get("/orders");
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find(">in process</td>"), std::string::npos);
  EXPECT_EQ(page->body.find(">in_process</td>"), std::string::npos);
  EXPECT_NE(page->body.find("known from the supplier&apos;s export; no status polling"),
            std::string::npos);
  EXPECT_NE(page->body.find("<option value=\"in_process\">in process</option>"),
            std::string::npos);
}

TEST_F(OrderPagesTest, SearchFormPostsWithTheCsrfToken) {
  AddOrder(*db_, TestImei(1), kPlaced);
  Browser vic = LogIn("vic", "password-vic");
  httplib::MultipartFormDataItems form{{"imei", TestImei(1), "", ""}};
  httplib::Result refused = Client().Post("/orders", vic.headers(), form);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  httplib::Result page = Client().Get("/orders", vic.headers());
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find("<form method=\"post\" action=\"/orders\" "
                            "enctype=\"multipart/form-data\""),
            std::string::npos);
  EXPECT_FALSE(CsrfFieldOf(page->body).empty());
}

TEST_F(OrderPagesTest, JobExportsInBothFormats) {
  AddOrder(*db_, TestImei(1), kPlaced, 1);
  AddOrder(*db_, TestImei(2), kPlaced, 2);
  AddOrder(*db_, TestImei(3), kPlaced + 5, 2);
  httplib::Result csv = Get("/orders/export.csv", {{"job", "2"}});
  ASSERT_TRUE(csv && csv->status == 200);
  EXPECT_EQ(csv->get_header_value("Content-Disposition"),
            "attachment; filename=\"job-2-orders.csv\"");
  EXPECT_EQ(CountOf(csv->body, "\r\n"), 3);
  EXPECT_EQ(csv->body.find(TestImei(1)), std::string::npos);
  httplib::Result xlsx = Get("/orders/export.xlsx", {{"job", "2"}});
  ASSERT_TRUE(xlsx && xlsx->status == 200);
  EXPECT_EQ(xlsx->get_header_value("Content-Disposition"),
            "attachment; filename=\"job-2-orders.xlsx\"");
  EXPECT_EQ(xlsx->body.substr(0, 4), std::string("PK\x03\x04", 4));
  httplib::Result bad = Get("/orders/export.csv", {{"job", "two"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(OrderPagesTest, ScriptInACodeRendersAsText) {
  // The parser strips tags and decodes entities: the model field holds
  // "<script>alert(1)</script>", the raw code a real <script> tag.
  const std::string code =
      "Model: &lt;script&gt;alert(1)&lt;/script&gt;<br>Carrier: AT&amp;T<script>alert(2)</script>";
  int64_t id = AddOrder(*db_, TestImei(5), kPlaced, std::nullopt, code);
  httplib::Result detail = Get(fmt::format("/orders/{}", id));
  ASSERT_TRUE(detail && detail->status == 200);
  EXPECT_EQ(detail->body.find("<script>alert"), std::string::npos);
  EXPECT_NE(detail->body.find("&lt;br&gt;Carrier: AT&amp;amp;T&lt;script&gt;alert(2)&lt;/script&gt;"),
            std::string::npos)
      << "the raw code, as text";
  EXPECT_NE(
      detail->body.find("<th scope=\"row\">model</th><td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"),
      std::string::npos);
  httplib::Result list = Search({{"imei", TestImei(5)}});
  ASSERT_TRUE(list && list->status == 200);
  EXPECT_EQ(list->body.find("<script>alert"), std::string::npos);
  EXPECT_NE(list->body.find("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), std::string::npos);
}

TEST_F(OrderPagesTest, UnknownOrdersAndSessionsAreRefused) {
  httplib::Result none = Get("/orders/999");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  httplib::Result anonymous = Client().Get("/orders/export.csv?job=1");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 303);
}

}  // namespace
}  // namespace imeiflow::web
