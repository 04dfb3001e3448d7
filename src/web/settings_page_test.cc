#include "web/settings_page.h"

#include <gtest/gtest.h>

#include "store/settings_repository.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

class SettingsPageTest : public WebServerTest {
 protected:
  void SetUp() override {
    WebServerTest::SetUp();
    AddUser("root", "admin", "password-root");
    AddUser("ana", "operator", "password-ana");
  }
  void Configure(Config& config) override { config.spending.daily_cap = "500.00"; }

  httplib::Result Save(const Browser& who, const std::string& cap, const std::string& csrf) {
    return Client().Post("/settings", who.headers(),
                         httplib::Params{{"daily_cap", cap}, {"csrf_token", csrf}});
  }
  std::optional<Money> CapInForce() {
    return store::SettingsRepository(*db_).DailyCapInForce(Money::FromCents(50000))->cap;
  }
};

TEST_F(SettingsPageTest, OnlyAdminsSeeAndChangeTheCap) {
  Browser ana = LogIn("ana", "password-ana");
  httplib::Result page = Client().Get("/settings", ana.headers());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 403);
  httplib::Result save = Save(ana, "1.00", ana.csrf);
  ASSERT_TRUE(save);
  EXPECT_EQ(save->status, 403);
  EXPECT_EQ(CapInForce(), Money::FromCents(50000));
  httplib::Result dashboard = Client().Get("/", ana.headers());
  ASSERT_TRUE(dashboard);
  EXPECT_EQ(dashboard->body.find("href=\"/settings\""), std::string::npos);
}

TEST_F(SettingsPageTest, AWrongCsrfTokenChangesNothing) {
  Browser root = LogIn("root", "password-root", "/settings");
  httplib::Result save = Save(root, "1.00", std::string(64, '0'));
  ASSERT_TRUE(save);
  EXPECT_EQ(save->status, 403);
  EXPECT_EQ(CapInForce(), Money::FromCents(50000));
}

TEST_F(SettingsPageTest, TheAdminRaisesTheCapAuditedAndThePageSaysWhereItComesFrom) {
  Browser root = LogIn("root", "password-root", "/settings");
  httplib::Result before = Client().Get("/settings", root.headers());
  ASSERT_TRUE(before && before->status == 200);
  EXPECT_NE(before->body.find("<strong id=\"cap-value\">$500.00</strong>"), std::string::npos);
  EXPECT_NE(before->body.find("from the configuration file"), std::string::npos);
  EXPECT_NE(before->body.find("value=\"500.00\""), std::string::npos);
  EXPECT_NE(before->body.find("href=\"/settings\""), std::string::npos) << "the nav links it";

  httplib::Result save = Save(root, "2,000", root.csrf);
  ASSERT_TRUE(save);
  EXPECT_EQ(save->status, 303);
  EXPECT_EQ(save->get_header_value("Location"), "/settings");
  EXPECT_EQ(CapInForce(), Money::FromCents(200000));
  EXPECT_EQ(Query("SELECT actor || ' ' || action || ' ' || detail FROM audit ORDER BY id DESC"),
            "root settings.daily_cap $500.00 -> $2,000.00");
  httplib::Result after = Client().Get("/settings", root.headers());
  ASSERT_TRUE(after && after->status == 200);
  EXPECT_NE(after->body.find("<strong id=\"cap-value\">$2,000.00</strong>"), std::string::npos);
  EXPECT_NE(after->body.find("set on this page by root at"), std::string::npos) << after->body;

  // Empty: no cap at all, overriding the configuration file.
  ASSERT_TRUE(Save(root, "", root.csrf));
  EXPECT_FALSE(CapInForce().has_value());
  EXPECT_EQ(Query("SELECT detail FROM audit ORDER BY id DESC"), "$2,000.00 -> no cap");
}

TEST_F(SettingsPageTest, ABadAmountKeepsWhatWasTypedAndNamesTheField) {
  Browser root = LogIn("root", "password-root", "/settings");
  httplib::Result save = Save(root, "lots <b>", root.csrf);
  ASSERT_TRUE(save);
  EXPECT_EQ(save->status, 400);
  EXPECT_NE(save->body.find("id=\"settings-error\">Daily cap: bad amount"), std::string::npos)
      << save->body;
  EXPECT_NE(save->body.find("value=\"lots &lt;b&gt;\""), std::string::npos);
  EXPECT_EQ(CapInForce(), Money::FromCents(50000));
  EXPECT_EQ(Query("SELECT count(*) FROM audit WHERE action = 'settings.daily_cap'"), "0");
}

}  // namespace
}  // namespace imeiflow::web
