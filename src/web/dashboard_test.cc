#include "web/dashboard.h"

#include <gtest/gtest.h>

#include "store/dashboard_test_util.h"
#include "store/test_database.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

class DashboardPageTest : public WebServerTest {};

TEST_F(DashboardPageTest, ShowsFiguresJobsAndSupplierToAViewer) {
  clock_->Set(store::kDashboardNow);
  ASSERT_NO_FATAL_FAILURE(store::SeedDashboardDay(*db_));
  DispatcherStatus running;
  running.state = DispatcherState::kRunning;
  running.stats.in_flight = 7;
  running.stats.limit = 12;
  web_->engine.SetDispatcher(running);
  AddUser("vic", "viewer", "password-vic");
  Browser vic = LogIn("vic", "password-vic");
  httplib::Result page = Client().Get("/", vic.headers());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  const std::string& html = page->body;
  EXPECT_NE(html.find(R"(<span class="value">3</span><span class="label">IMEIs ordered)"),
            std::string::npos);
  EXPECT_NE(html.find("$24.00"), std::string::npos);
  EXPECT_NE(html.find(R"(<a href="/jobs/1">1</a>)"), std::string::npos);
  EXPECT_NE(html.find(R"(data-percent="75")"), std::string::npos);  // 3 of 4 items done
  EXPECT_NE(html.find("7 calls in flight, limit 12"), std::string::npos);
  EXPECT_NE(html.find("Errors in the last 4 calls: <strong>50%"), std::string::npos);
  // A viewer's nav has no operator or admin pages.
  EXPECT_NE(html.find(R"(href="/orders")"), std::string::npos);
  EXPECT_EQ(html.find(R"(href="/submit")"), std::string::npos);
  EXPECT_EQ(html.find(R"(href="/admin")"), std::string::npos);
}

TEST_F(DashboardPageTest, SaysWhenAnotherProcessDispatches) {
  DispatcherStatus elsewhere;
  elsewhere.state = DispatcherState::kLockedElsewhere;
  elsewhere.note = "another process (pid 42) dispatches for this database";
  web_->engine.SetDispatcher(elsewhere);
  AddUser("ana", "admin", "password-ana");
  Browser ana = LogIn("ana", "password-ana");
  httplib::Result page = Client().Get("/", ana.headers());
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("running in another process"), std::string::npos);
  EXPECT_NE(page->body.find("pid 42"), std::string::npos);
  EXPECT_NE(page->body.find(R"(href="/admin")"), std::string::npos);
}

}  // namespace
}  // namespace imeiflow::web
