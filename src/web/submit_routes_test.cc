#include "web/submit_routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "core/imei.h"
#include "core/xlsx_writer.h"
#include "store/job_repository.h"
#include "store/service_repository.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

constexpr const char* kA = "352099001761481";
constexpr const char* kB = "490154203237518";
constexpr const char* kC = "356938035643809";

// The text of the element with `id` in `html` ("" if none).
std::string TextOf(const std::string& html, const std::string& id) {
  std::regex element("id=\"" + id + "\"[^>]*>([^<]*)<");
  std::smatch match;
  return std::regex_search(html, match, element) ? match[1].str() : "";
}

// `n` distinct valid IMEIs, one per line.
std::string ManyImeis(int n) {
  std::string lines;
  for (int i = 0; i < n; ++i) {
    std::string body = fmt::format("35209900{:06d}", i);
    lines += body + CheckDigit(body) + "\n";
  }
  return lines;
}

std::string KeptFileOf(const std::string& html) {
  static const std::regex field(R"re(name="kept_file" value="([0-9a-f]*)")re");
  std::smatch match;
  return std::regex_search(html, match, field) ? match[1].str() : "";
}

std::string PendingOf(const std::string& html) {
  static const std::regex field(R"re(name="pending" value="([0-9a-f]*)")re");
  std::smatch match;
  return std::regex_search(html, match, field) ? match[1].str() : "";
}

class SubmitRoutesTest : public WebServerTest {
 protected:
  void SetUp() override {
    WebServerTest::SetUp();
    store::CachedService service;
    service.id = "1739";
    service.category = "Apple";
    service.title = "iPhone Carrier + FMI Check";
    service.price = Money::FromCents(8);
    service.delivery = "1-5 Minutes";
    ASSERT_TRUE(store::ServiceRepository(*db_).ReplaceAll({service}, clock_->NowMs()).ok());
  }

  Browser LogInAs(const std::string& name, const std::string& role) {
    AddUser(name, role, "password-" + name);
    return LogIn(name, "password-" + name, "/jobs");
  }

  int64_t Count(const std::string& sql) {
    Result<store::Statement> stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    if (!stmt.ok()) return -1;
    Result<bool> row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row);
    return stmt->ColumnInt(0);
  }

  // Stores a completed order of `imei` for service 1739.
  void AddOrder(const std::string& imei) {
    ASSERT_TRUE(db_->Exec("INSERT INTO orders(upstream_id, imei, service_id, status, price_cents,"
                          " placed_at, updated_at) VALUES ('u-" +
                          imei + "', '" + imei + "', '1739', 'completed', 8, 1, 1)")
                    .ok());
  }

  httplib::Result PostPreview(const Browser& b, const std::string& imeis, bool recheck = false) {
    httplib::Params form{{"csrf_token", b.csrf}, {"service_id", "1739"}, {"imeis", imeis}};
    if (recheck) form.emplace("recheck", "1");
    return Client().Post("/submit/preview", b.headers(), form);
  }
};

TEST_F(SubmitRoutesTest, FormListsCachedServicesWithPriceAndDelivery) {
  Browser ana = LogInAs("ana", "operator");
  httplib::Result page = Client().Get("/submit", ana.headers());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<select name=\"service_id\" id=\"service_id\""), std::string::npos);
  EXPECT_NE(page->body.find("$0.08 · 1-5 Minutes"), std::string::npos);
  EXPECT_NE(page->body.find("id=\"preview\""), std::string::npos);
  EXPECT_EQ(page->body.find("id=\"no-services\""), std::string::npos);
}

TEST_F(SubmitRoutesTest, EmptyCacheSaysWhereToRefresh) {
  ASSERT_TRUE(store::ServiceRepository(*db_).ReplaceAll({}, 1).ok());
  Browser ana = LogInAs("ana", "operator");
  httplib::Result page = Client().Get("/submit", ana.headers());
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("id=\"no-services\""), std::string::npos);
  EXPECT_NE(page->body.find("href=\"/services\""), std::string::npos);
}

TEST_F(SubmitRoutesTest, ViewerCannotSubmit) {
  Browser vic = LogInAs("vic", "viewer");
  httplib::Result form = Client().Get("/submit", vic.headers());
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 403);
  httplib::Result preview = PostPreview(vic, kA);
  ASSERT_TRUE(preview);
  EXPECT_EQ(preview->status, 403);
  httplib::Result confirm =
      Client().Post("/jobs", vic.headers(), httplib::Params{{"csrf_token", vic.csrf}});
  ASSERT_TRUE(confirm);
  EXPECT_EQ(confirm->status, 403);
  EXPECT_EQ(Count("SELECT count(*) FROM jobs"), 0);
}

TEST_F(SubmitRoutesTest, PreviewCountsValidInvalidDuplicatesAndCost) {
  AddOrder(kA);
  ASSERT_TRUE(db_->Exec("INSERT INTO spending(day, cents) VALUES ('2027-01-15', 1234)").ok());
  Browser ana = LogInAs("ana", "operator");
  // Three valid IMEIs (one already ordered, one repeated), two invalid lines.
  httplib::Result page =
      PostPreview(ana, std::string(kA) + "\n" + kB + "\nnotanimei\n" + kC + "\n12345\n" + kB);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_EQ(TextOf(page->body, "valid-count"), "3");
  EXPECT_EQ(TextOf(page->body, "invalid-count"), "2");
  EXPECT_EQ(TextOf(page->body, "duplicate-count"), "1");
  EXPECT_EQ(TextOf(page->body, "estimated-cost"), "$0.16");  // 2 to order at $0.08
  EXPECT_NE(page->body.find("<td class=\"num\">3</td><td><code>notanimei</code>"),
            std::string::npos);
  EXPECT_NE(page->body.find("href=\"/orders?imei=" + std::string(kA) + "\""), std::string::npos);
  EXPECT_NE(page->body.find("$12.34"), std::string::npos);  // spent today
  EXPECT_EQ(PendingOf(page->body).size(), 64u);
  EXPECT_NE(page->body.find("id=\"confirm\""), std::string::npos);

  httplib::Result recheck = PostPreview(ana, std::string(kA) + "\n" + kB, true);
  ASSERT_TRUE(recheck);
  EXPECT_EQ(TextOf(recheck->body, "estimated-cost"), "$0.16");  // both ordered again
  EXPECT_EQ(Count("SELECT count(*) FROM jobs"), 0);
}

TEST_F(SubmitRoutesTest, PreviewCountsCompletedAndRepeatedEntriesInTheRightNumber) {
  Browser ana = LogInAs("ana", "operator");
  const std::string a14 = std::string(kA).substr(0, 14);
  const std::string b14 = std::string(kB).substr(0, 14);
  httplib::Result one = PostPreview(ana, a14 + "\n" + std::string(kC) + "\n" + kC);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->status, 200) << one->body;
  EXPECT_NE(one->body.find("1 14-digit entry was given its check digit."), std::string::npos);
  EXPECT_NE(one->body.find("1 repeated IMEI in the input is counted once."), std::string::npos);

  httplib::Result two =
      PostPreview(ana, a14 + "\n" + b14 + "\n" + kC + "\n" + kC + "\n" + kA + "\n" + kA);
  ASSERT_TRUE(two);
  EXPECT_NE(two->body.find("2 14-digit entries were given their check digit."), std::string::npos);
  EXPECT_NE(two->body.find("repeated IMEIs in the input are counted once."), std::string::npos);
}

TEST_F(SubmitRoutesTest, PreviewListsTheFirst200InvalidLinesAndCountsTheRest) {
  Browser ana = LogInAs("ana", "operator");
  std::string input = std::string(kA) + "\n";
  for (int i = 0; i < 205; ++i) input += "bad" + std::to_string(i) + "\n";
  httplib::Result page = PostPreview(ana, input);
  ASSERT_TRUE(page);
  EXPECT_EQ(TextOf(page->body, "invalid-count"), "205");
  EXPECT_NE(page->body.find("<code>bad199</code>"), std::string::npos);
  EXPECT_EQ(page->body.find("<code>bad200</code>"), std::string::npos);
  EXPECT_NE(page->body.find("and 5 more"), std::string::npos);
}

TEST_F(SubmitRoutesTest, ConfirmCreatesExactlyOneJobAndRedirectsWithTheFlash) {
  AddOrder(kA);
  Browser ana = LogInAs("ana", "operator");
  httplib::Result page = PostPreview(ana, std::string(kA) + "\n" + kB + "\n" + kC + "\nbad");
  ASSERT_TRUE(page);
  std::string pending = PendingOf(page->body);

  // Without the CSRF token: refused, nothing created, the preview still usable.
  httplib::Result forged =
      Client().Post("/jobs", ana.headers(), httplib::Params{{"pending", pending}});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(Count("SELECT count(*) FROM jobs"), 0);

  httplib::Params confirm{{"csrf_token", ana.csrf}, {"pending", pending}};
  httplib::Result done = Client().Post("/jobs", ana.headers(), confirm);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(done->get_header_value("Location"), "/jobs/1");
  EXPECT_EQ(Count("SELECT count(*) FROM jobs"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE state = 'queued'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE state = 'skipped_duplicate'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit WHERE action = 'job.submit' AND actor = 'ana'"), 1);

  std::string flash = SetCookieValueOf(done, "imeiflow_flash");
  httplib::Result job =
      Client().Get("/jobs/1", {{"Cookie", ana.cookie + "; imeiflow_flash=" + flash}});
  ASSERT_TRUE(job);
  EXPECT_NE(job->body.find("Job 1: 2 IMEIs queued, 1 invalid, 1 already ordered (est. $0.16)"),
            std::string::npos);

  // The same preview cannot create a second job.
  httplib::Result again = Client().Post("/jobs", ana.headers(), confirm);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 303);
  EXPECT_EQ(again->get_header_value("Location"), "/submit");
  EXPECT_EQ(Count("SELECT count(*) FROM jobs"), 1);
}

TEST_F(SubmitRoutesTest, PreviewListsRejectedBeforeAndConfirmHonoursTheCheckbox) {
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(imei, service_id, status, price_cents, placed_at,"
                        " updated_at, code) VALUES ('" +
                        std::string(kA) + "', '1739', 'rejected', 8, 1, 1, 'Blacklisted')")
                  .ok());
  Browser ana = LogInAs("ana", "operator");
  const std::string input = std::string(kA) + "\n" + kB + "\n" + kC;
  httplib::Result page = PostPreview(ana, input);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_EQ(TextOf(page->body, "rejected-count"), "1");
  // Left out by default: 2 to order, and the page says what they would add.
  EXPECT_EQ(TextOf(page->body, "to-order"), "2");
  EXPECT_EQ(TextOf(page->body, "estimated-cost"), "$0.16");
  EXPECT_NE(page->body.find("id=\"skip-rejected\" value=\"1\" checked"), std::string::npos);
  EXPECT_NE(page->body.find("with them 3 IMEIs for $0.24"), std::string::npos);
  EXPECT_NE(page->body.find("<li><strong>1</strong> Blacklisted</li>"), std::string::npos);
  EXPECT_NE(page->body.find("<details id=\"rejected-before\">"), std::string::npos);
  EXPECT_NE(page->body.find("<a href=\"/orders?imei=" + std::string(kA) + "\">" + kA +
                            "</a></td><td>Blacklisted</td>"),
            std::string::npos);

  // Confirmed with the box ticked: A is skipped, with its reason, not charged.
  httplib::Result done = Client().Post(
      "/jobs", ana.headers(),
      httplib::Params{
          {"csrf_token", ana.csrf}, {"pending", PendingOf(page->body)}, {"skip_rejected", "1"}});
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE job_id = 1 AND state = 'queued'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE job_id = 1 AND reason = "
                  "'rejected before: Blacklisted'"),
            1);
  std::string flash = SetCookieValueOf(done, "imeiflow_flash");
  httplib::Result job =
      Client().Get("/jobs/1", {{"Cookie", ana.cookie + "; imeiflow_flash=" + flash}});
  ASSERT_TRUE(job);
  EXPECT_NE(job->body.find("Job 1: 2 IMEIs queued, 0 invalid, 0 already ordered, 1 rejected "
                           "before left out (est. $0.16)"),
            std::string::npos)
      << job->body;

  // Unticked (the box is absent from the form): A is ordered again.
  ASSERT_TRUE(db_->Exec("DELETE FROM items").ok());
  page = PostPreview(ana, input);
  ASSERT_TRUE(page);
  done =
      Client().Post("/jobs", ana.headers(),
                    httplib::Params{{"csrf_token", ana.csrf}, {"pending", PendingOf(page->body)}});
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 303) << done->body;
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE job_id = 2 AND state = 'queued'"), 3);
}

TEST_F(SubmitRoutesTest, BackFromThePreviewKeepsWhatWasTyped) {
  Browser ana = LogInAs("ana", "operator");
  httplib::Result page = PostPreview(ana, std::string(kA) + "\n" + kB, true);
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("formaction=\"/submit/edit\""), std::string::npos);
  httplib::Result back =
      Client().Post("/submit/edit", ana.headers(),
                    httplib::Params{{"csrf_token", ana.csrf}, {"pending", PendingOf(page->body)}});
  ASSERT_TRUE(back);
  ASSERT_EQ(back->status, 200) << back->body;
  EXPECT_NE(back->body.find(std::string(kA) + "\n" + kB + "</textarea>"), std::string::npos)
      << back->body;
  EXPECT_NE(back->body.find("value=\"1739\" title=\"Apple\" selected"), std::string::npos);
  EXPECT_NE(back->body.find("name=\"recheck\" value=\"1\" checked"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM jobs"), 0);
}

TEST_F(SubmitRoutesTest, AnotherUserCannotConfirmAPreview) {
  Browser ana = LogInAs("ana", "operator");
  Browser bob = LogInAs("bob", "operator");
  httplib::Result page = PostPreview(ana, kA);
  ASSERT_TRUE(page);
  httplib::Result stolen =
      Client().Post("/jobs", bob.headers(),
                    httplib::Params{{"csrf_token", bob.csrf}, {"pending", PendingOf(page->body)}});
  ASSERT_TRUE(stolen);
  EXPECT_EQ(stolen->get_header_value("Location"), "/submit");
  EXPECT_EQ(Count("SELECT count(*) FROM jobs"), 0);
}

TEST_F(SubmitRoutesTest, CsvUploadIsRead) {
  Browser ana = LogInAs("ana", "operator");
  std::string csv =
      "Model,IMEI\niPhone 12," + std::string(kA) + "\niPhone 13," + kB + "\niPhone 14,0000\n";
  httplib::MultipartFormDataItems form{{"csrf_token", ana.csrf, "", ""},
                                       {"service_id", "1739", "", ""},
                                       {"imeis", "", "", ""},
                                       {"file", csv, "phones.csv", "text/csv"}};
  httplib::Result page = Client().Post("/submit/preview", ana.headers(), form);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_EQ(TextOf(page->body, "valid-count"), "2");
  EXPECT_EQ(TextOf(page->body, "invalid-count"), "1");
  EXPECT_NE(page->body.find("phones.csv (read as csv)"), std::string::npos);
  EXPECT_NE(page->body.find("<td class=\"num\">4</td>"), std::string::npos);  // the bad row's line
}

TEST_F(SubmitRoutesTest, XlsxUploadIsRead) {
  const std::string path = path_ + ".xlsx";
  {
    const XlsxColumn columns[] = {{"Model"}, {"IMEI"}};
    Result<std::unique_ptr<XlsxWriter>> xlsx = XlsxWriter::Create(path, "Phones", columns);
    ASSERT_TRUE(xlsx.ok()) << xlsx.status().message();
    for (const char* imei : {kA, kB, kC}) {
      const std::string row[] = {"iPhone", imei};
      ASSERT_TRUE((*xlsx)->AddRow(row).ok());
    }
    ASSERT_TRUE((*xlsx)->Finish().ok());
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  Browser ana = LogInAs("ana", "operator");
  httplib::MultipartFormDataItems form{
      {"csrf_token", ana.csrf, "", ""},
      {"service_id", "1739", "", ""},
      {"file", bytes.str(), "phones.xlsx",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}};
  httplib::Result page = Client().Post("/submit/preview", ana.headers(), form);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_EQ(TextOf(page->body, "valid-count"), "3");
  EXPECT_NE(page->body.find("phones.xlsx (read as xlsx)"), std::string::npos);
  std::remove(path.c_str());
}

TEST_F(SubmitRoutesTest, MultipartFormWithoutAFileKeepsThePasteOnError) {
  Browser ana = LogInAs("ana", "operator");
  httplib::MultipartFormDataItems form{{"csrf_token", ana.csrf, "", ""},
                                       {"service_id", "9999", "", ""},
                                       {"imeis", kA, "", ""},
                                       {"file", "", "", "application/octet-stream"}};
  httplib::Result page = Client().Post("/submit/preview", ana.headers(), form);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 400);
  EXPECT_NE(page->body.find(std::string(kA) + "</textarea>"), std::string::npos);
}

TEST_F(SubmitRoutesTest, OversizedUploadGetsThe413Page) {
  Browser ana = LogInAs("ana", "operator");
  std::string big(kUploadLimit + 1024, '1');
  httplib::MultipartFormDataItems form{{"csrf_token", ana.csrf, "", ""},
                                       {"service_id", "1739", "", ""},
                                       {"file", big, "big.txt", "text/plain"}};
  httplib::Result page = Client().Post("/submit/preview", ana.headers(), form);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 413);
  EXPECT_NE(page->body.find("Upload too large"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM jobs"), 0);
}

TEST_F(SubmitRoutesTest, UnknownServiceOrEmptyInputShowsTheFormAgain) {
  Browser ana = LogInAs("ana", "operator");
  httplib::Result unknown = Client().Post(
      "/submit/preview", ana.headers(),
      httplib::Params{{"csrf_token", ana.csrf}, {"service_id", "9999"}, {"imeis", kA}});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 400);
  EXPECT_NE(unknown->body.find("9999"), std::string::npos);
  EXPECT_NE(unknown->body.find(kA), std::string::npos);  // the paste is kept
  httplib::Result empty = PostPreview(ana, "  \n");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
  EXPECT_NE(empty->body.find("id=\"imeis\""), std::string::npos);
}

// Issue 12: the preview's Back button emptied 6,000 pasted IMEIs and the
// chosen service.
TEST_F(SubmitRoutesTest, BackAfterA6000ImeiPasteReturnsTheWholePasteAndTheService) {
  Browser ana = LogInAs("ana", "operator");
  const std::string paste = ManyImeis(6000);
  httplib::MultipartFormDataItems form{{"csrf_token", ana.csrf, "", ""},
                                       {"service_id", "1739", "", ""},
                                       {"imeis", paste, "", ""},
                                       {"file", "", "", "application/octet-stream"}};
  httplib::Result page = Client().Post("/submit/preview", ana.headers(), form);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body.substr(0, 2000);
  EXPECT_EQ(TextOf(page->body, "valid-count"), "6,000");
  httplib::Result back =
      Client().Post("/submit/edit", ana.headers(),
                    httplib::Params{{"csrf_token", ana.csrf}, {"pending", PendingOf(page->body)}});
  ASSERT_TRUE(back);
  ASSERT_EQ(back->status, 200);
  EXPECT_NE(back->body.find(">" + paste + "</textarea>"), std::string::npos);
  EXPECT_NE(back->body.find("value=\"1739\" title=\"Apple\" selected"), std::string::npos);
}

// Issue 12: a paste beside a chosen file was silently ignored.
TEST_F(SubmitRoutesTest, PasteAndFileTogetherIsAnErrorThatKeepsBoth) {
  Browser ana = LogInAs("ana", "operator");
  httplib::MultipartFormDataItems form{
      {"csrf_token", ana.csrf, "", ""},
      {"service_id", "1739", "", ""},
      {"imeis", kA, "", ""},
      {"file", std::string(kB) + "\n" + kC, "two.txt", "text/plain"}};
  httplib::Result page = Client().Post("/submit/preview", ana.headers(), form);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 400);
  EXPECT_NE(page->body.find("You pasted IMEIs and chose a file"), std::string::npos);
  EXPECT_NE(page->body.find(std::string(kA) + "</textarea>"), std::string::npos);
  EXPECT_NE(page->body.find("<strong>two.txt</strong> (2 IMEIs)"), std::string::npos);
  EXPECT_EQ(Count("SELECT count(*) FROM jobs"), 0);

  // Emptying the box previews the kept file; dropping the file, the paste.
  httplib::Result file_only = Client().Post("/submit/preview", ana.headers(),
                                            httplib::Params{{"csrf_token", ana.csrf},
                                                            {"service_id", "1739"},
                                                            {"imeis", ""},
                                                            {"kept_file", KeptFileOf(page->body)}});
  ASSERT_TRUE(file_only);
  ASSERT_EQ(file_only->status, 200) << file_only->body;
  EXPECT_EQ(TextOf(file_only->body, "valid-count"), "2");
  EXPECT_NE(file_only->body.find("two.txt (read as"), std::string::npos);
}

TEST_F(SubmitRoutesTest, BackAfterAnUploadKeepsTheFileForTheNextPreview) {
  Browser ana = LogInAs("ana", "operator");
  httplib::MultipartFormDataItems form{
      {"csrf_token", ana.csrf, "", ""},
      {"service_id", "1739", "", ""},
      {"imeis", "", "", ""},
      {"file", std::string(kA) + "\n" + kB, "two.txt", "text/plain"}};
  httplib::Result page = Client().Post("/submit/preview", ana.headers(), form);
  ASSERT_TRUE(page && page->status == 200);
  httplib::Result back =
      Client().Post("/submit/edit", ana.headers(),
                    httplib::Params{{"csrf_token", ana.csrf}, {"pending", PendingOf(page->body)}});
  ASSERT_TRUE(back && back->status == 200);
  EXPECT_NE(back->body.find("Using file <strong>two.txt</strong> (2 IMEIs)"), std::string::npos)
      << back->body;
  const std::string kept = KeptFileOf(back->body);
  ASSERT_FALSE(kept.empty());

  httplib::Result again = Client().Post(
      "/submit/preview", ana.headers(),
      httplib::Params{{"csrf_token", ana.csrf}, {"service_id", "1739"}, {"kept_file", kept}});
  ASSERT_TRUE(again && again->status == 200) << again->body;
  EXPECT_EQ(TextOf(again->body, "valid-count"), "2");
  httplib::Result done =
      Client().Post("/jobs", ana.headers(),
                    httplib::Params{{"csrf_token", ana.csrf}, {"pending", PendingOf(again->body)}});
  ASSERT_TRUE(done && done->status == 303);
  EXPECT_EQ(Count("SELECT count(*) FROM items"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM jobs WHERE source = 'two.txt'"), 1);
}

TEST_F(SubmitRoutesTest, ThePickerGroupsServicesByCategoryWithPriceAndDelivery) {
  store::CachedService other;
  other.id = "2001";
  other.category = "Samsung";
  other.title = "Samsung Info";
  other.price = Money::FromCents(125);
  other.delivery = "Instant";
  store::CachedService apple;
  apple.id = "1739";
  apple.category = "Apple";
  apple.title = "iPhone Carrier + FMI Check";
  apple.price = Money::FromCents(8);
  apple.delivery = "1-5 Minutes";
  ASSERT_TRUE(store::ServiceRepository(*db_).ReplaceAll({apple, other}, clock_->NowMs()).ok());
  Browser ana = LogInAs("ana", "operator");
  httplib::Result page = Client().Get("/submit", ana.headers());
  ASSERT_TRUE(page && page->status == 200);
  const size_t apple_group = page->body.find("<optgroup label=\"Apple\">");
  const size_t samsung_group = page->body.find("<optgroup label=\"Samsung\">");
  ASSERT_NE(apple_group, std::string::npos);
  ASSERT_NE(samsung_group, std::string::npos);
  const size_t samsung_option = page->body.find("value=\"2001\"");
  EXPECT_LT(apple_group, samsung_group);
  EXPECT_LT(samsung_group, samsung_option);
  EXPECT_NE(page->body.find("Samsung Info · $1.25 · Instant"), std::string::npos);
}

}  // namespace
}  // namespace imeiflow::web
