#include "web/job_sheet_routes.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "store/service_repository.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

constexpr const char* kA = "352099001761481";
constexpr const char* kB = "490154203237518";

std::string PendingOf(const std::string& html) {
  static const std::regex field(R"re(name="pending" value="([0-9a-f]*)")re");
  std::smatch match;
  return std::regex_search(html, match, field) ? match[1].str() : "";
}

class JobSheetRoutesTest : public WebServerTest {
 protected:
  void SetUp() override {
    WebServerTest::SetUp();
    store::CachedService service;
    service.id = "1739";
    service.title = "iPhone Carrier + FMI Check";
    service.price = Money::FromCents(8);
    ASSERT_TRUE(store::ServiceRepository(*db_).ReplaceAll({service}, clock_->NowMs()).ok());
  }

  // Previews and confirms `content` uploaded as `filename` (or pasted when
  // `filename` is empty) as user `b`.
  void Submit(const Browser& b, const std::string& content, const std::string& filename) {
    httplib::MultipartFormDataItems form{{"csrf_token", b.csrf, "", ""},
                                         {"service_id", "1739", "", ""},
                                         {"imeis", filename.empty() ? content : "", "", ""}};
    if (!filename.empty()) form.push_back({"file", content, filename, "text/csv"});
    httplib::Result preview = Client().Post("/submit/preview", b.headers(), form);
    ASSERT_TRUE(preview && preview->status == 200) << (preview ? preview->body : "no answer");
    httplib::Result done = Client().Post(
        "/jobs", b.headers(), httplib::Params{{"csrf_token", b.csrf}, {"pending", PendingOf(preview->body)}});
    ASSERT_TRUE(done);
    ASSERT_EQ(done->status, 303) << done->body;
  }
};

TEST_F(JobSheetRoutesTest, AnUploadedCsvComesBackWithItsColumnsAndResults) {
  AddUser("ana", "operator", "password-ana");
  Browser ana = LogIn("ana", "password-ana", "/jobs");
  Submit(ana,
         std::string("Stock No,IMEI\r\nS-1,") + kA + "\r\nS-2,0000\r\nS-3," + kB + "\r\n",
         "stock.csv");
  httplib::Result job = Client().Get("/jobs/1", ana.headers());
  ASSERT_TRUE(job && job->status == 200);
  EXPECT_NE(job->body.find("href=\"/jobs/1/sheet\""), std::string::npos);
  EXPECT_NE(job->body.find("Download the sheet with results"), std::string::npos);

  httplib::Result sheet = Client().Get("/jobs/1/sheet", ana.headers());
  ASSERT_TRUE(sheet);
  ASSERT_EQ(sheet->status, 200) << sheet->body;
  EXPECT_EQ(sheet->get_header_value("Content-Disposition"),
            "attachment; filename=\"job-1-sheet-with-results.csv\"");
  EXPECT_EQ(sheet->body,
            "\xEF\xBB\xBF"
            "Stock No,IMEI,Result,Carrier,SIM-lock,FMI,Blacklist,Code / reason,Price\r\n"
            "S-1,\"=\"\"352099001761481\"\"\",waiting to be sent,,,,,,\r\n"
            "S-2,0000,not an IMEI: 4 digits: an IMEI has 15,,,,,,\r\n"
            "S-3,\"=\"\"490154203237518\"\"\",waiting to be sent,,,,,,\r\n");

  httplib::Result xlsx = Client().Get("/jobs/1/sheet?format=xlsx", ana.headers());
  ASSERT_TRUE(xlsx && xlsx->status == 200);
  EXPECT_EQ(xlsx->body.substr(0, 4), std::string("PK\x03\x04", 4));
}

TEST_F(JobSheetRoutesTest, APastedJobHasNoSheetAndNoButton) {
  AddUser("ana", "operator", "password-ana");
  Browser ana = LogIn("ana", "password-ana", "/jobs");
  Submit(ana, std::string(kA) + "\n", "");
  httplib::Result job = Client().Get("/jobs/1", ana.headers());
  ASSERT_TRUE(job && job->status == 200);
  EXPECT_EQ(job->body.find("/jobs/1/sheet"), std::string::npos);
  httplib::Result sheet = Client().Get("/jobs/1/sheet", ana.headers());
  ASSERT_TRUE(sheet);
  EXPECT_EQ(sheet->status, 404);
  EXPECT_NE(sheet->body.find("not made from an uploaded CSV or XLSX file"), std::string::npos);
  httplib::Result anonymous = Client().Get("/jobs/1/sheet");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 303);
}

}  // namespace
}  // namespace imeiflow::web
