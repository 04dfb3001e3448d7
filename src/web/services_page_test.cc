// The services page: a refresh is only asked for on the request; the
// dispatcher thread does it (engine/service_refresh.h), and the page says how
// it stands.
#include "web/services_page.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "web/format.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

// A configured supplier on 127.0.0.1 that counts the calls it gets (and
// answers none usefully): no request of the page may reach it.
class ServicesPageTest : public WebServerTest {
 protected:
  void Configure(Config& config) override {
    supplier_.Post(".*", [this](const httplib::Request&, httplib::Response& response) {
      ++supplier_calls_;
      response.status = 500;
    });
    int port = supplier_.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    supplier_thread_ = std::thread([this] { supplier_.listen_after_bind(); });
    config.upstream.url = fmt::format("http://127.0.0.1:{}", port);
    config.upstream.user = "shop";
    config.upstream.api_key = "secret-key-123";
  }
  void SetUp() override {
    WebServerTest::SetUp();
    AddUser("ana", "operator", "password-ana");
    AddUser("bob", "operator", "password-bob");
  }
  void TearDown() override {
    WebServerTest::TearDown();
    supplier_.stop();
    if (supplier_thread_.joinable()) supplier_thread_.join();
  }

  httplib::Result PostRefresh(const Browser& who) {
    return Client().Post("/services/refresh", who.headers(),
                         httplib::Params{{"csrf_token", who.csrf}});
  }
  // The /services page as `who` sees it, with the flash `after` set.
  std::string PageAfter(const Browser& who, const httplib::Result& after) {
    std::string flash = "imeiflow_flash=" + SetCookieValueOf(after, "imeiflow_flash");
    httplib::Result page = Client().Get("/services", {{"Cookie", who.cookie + "; " + flash}});
    EXPECT_TRUE(page && page->status == 200);
    return page ? page->body : "";
  }
  std::string Page(const Browser& who) {
    httplib::Result page = Client().Get("/services", who.headers());
    EXPECT_TRUE(page && page->status == 200);
    return page ? page->body : "";
  }
  engine::ServiceRefreshMailbox& mailbox() { return web_->engine.service_refresh(); }

  httplib::Server supplier_;
  std::thread supplier_thread_;
  std::atomic<int> supplier_calls_{0};
};

TEST_F(ServicesPageTest, AnEmptyCacheSaysSoAndASearchSaysNothingMatches) {
  Browser ana = LogIn("ana", "password-ana", "/services");
  httplib::Result empty = Client().Get("/services", ana.headers());
  ASSERT_TRUE(empty && empty->status == 200);
  EXPECT_NE(empty->body.find("No service is cached yet"), std::string::npos) << empty->body;
  httplib::Result search = Client().Get("/services?q=apple", ana.headers());
  ASSERT_TRUE(search && search->status == 200);
  EXPECT_NE(search->body.find("No service matches."), std::string::npos) << search->body;
}

TEST_F(ServicesPageTest, RefreshIsOnlyAskedForAndThePageSaysItWaits) {
  Browser ana = LogIn("ana", "password-ana", "/services");
  httplib::Result done = PostRefresh(ana);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 303);
  EXPECT_EQ(done->get_header_value("Location"), "/services");
  EXPECT_EQ(supplier_calls_.load(), 0) << "the request thread called the supplier";
  engine::ServiceRefreshState state = mailbox().State();
  EXPECT_TRUE(state.pending);
  EXPECT_EQ(state.requested_by, "ana");
  EXPECT_EQ(state.requested_at_ms, clock_->NowMs());

  std::string body = PageAfter(ana, done);
  EXPECT_NE(body.find("Refreshing the services from the supplier; this page shows them when done."),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("Refresh requested at " + UtcText(clock_->NowMs()) +
                      " by ana, waiting for the dispatcher, which is not running in this process."),
            std::string::npos)
      << body;
  EXPECT_EQ(supplier_calls_.load(), 0);
}

TEST_F(ServicesPageTest, ASecondClickWhilePendingQueuesNoSecondCall) {
  Browser ana = LogIn("ana", "password-ana", "/services");
  Browser bob = LogIn("bob", "password-bob", "/services");
  ASSERT_TRUE(PostRefresh(ana));
  clock_->Advance(60'000);
  httplib::Result again = PostRefresh(bob);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 303);
  EXPECT_NE(PageAfter(bob, again).find("A refresh is already waiting for the dispatcher"),
            std::string::npos);
  engine::ServiceRefreshState state = mailbox().State();
  EXPECT_EQ(state.requested_by, "ana");
  EXPECT_EQ(state.requested_at_ms, clock_->NowMs() - 60'000);
  // The dispatcher takes one refresh, not two.
  EXPECT_TRUE(mailbox().Take().has_value());
  EXPECT_FALSE(mailbox().Take().has_value());
  EXPECT_EQ(supplier_calls_.load(), 0);
}

TEST_F(ServicesPageTest, ThePageSaysWhenTheDispatcherRunsInAnotherProcess) {
  web_->engine.SetDispatcher({DispatcherState::kLockedElsewhere, "locked", {}, clock_->NowMs()});
  Browser ana = LogIn("ana", "password-ana", "/services");
  ASSERT_TRUE(PostRefresh(ana));
  EXPECT_NE(Page(ana).find("it runs in another process, so the refresh waits until this process"
                           " takes the dispatcher over."),
            std::string::npos);
  EXPECT_TRUE(mailbox().State().pending);
  EXPECT_EQ(supplier_calls_.load(), 0);
}

TEST_F(ServicesPageTest, ThePageShowsHowTheLastRefreshEnded) {
  Browser ana = LogIn("ana", "password-ana", "/services");
  ASSERT_TRUE(PostRefresh(ana));
  ASSERT_TRUE(mailbox().Take().has_value());
  EXPECT_NE(Page(ana).find("the supplier is being asked now."), std::string::npos);
  mailbox().Finish(clock_->NowMs(), 1234, 1, "");
  EXPECT_NE(Page(ana).find("Last refreshed at " + UtcText(clock_->NowMs()) +
                           ": 1,234 services, 1 left out (price not a number)."),
            std::string::npos);

  ASSERT_TRUE(PostRefresh(ana));
  ASSERT_TRUE(mailbox().Take().has_value());
  mailbox().Finish(clock_->NowMs(), 0, 0, "cannot list the supplier's services: HTTP 500");
  std::string body = Page(ana);
  EXPECT_NE(body.find("The last refresh failed (" + UtcText(clock_->NowMs()) +
                      "): cannot list the supplier&apos;s services: HTTP 500."),
            std::string::npos)
      << body;
}

}  // namespace
}  // namespace imeiflow::web
