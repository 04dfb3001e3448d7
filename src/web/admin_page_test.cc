#include "web/admin_page.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <regex>

#include "store/token_repository.h"
#include "web/page_test_util.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

class AdminPageTest : public WebServerTest {
 protected:
  void SetUp() override {
    WebServerTest::SetUp();
    AddUser("root", "admin", "password-root");
    AddUser("ana", "operator", "password-ana");
  }

  httplib::Result Post(const Browser& who, const std::string& path, httplib::Params params) {
    params.emplace("csrf_token", who.csrf);
    return Client().Post(path, who.headers(), params);
  }

  // The latest audit row as "actor action detail".
  std::string LastAudit() {
    Result<store::Statement> row =
        db_->Prepare("SELECT actor || ' ' || action || ' ' || detail FROM audit ORDER BY id DESC");
    EXPECT_TRUE(row.ok());
    if (!row.ok() || !row->Step().ok()) return "";
    return row->ColumnText(0);
  }
};

TEST_F(AdminPageTest, OperatorsAreRefused) {
  Browser ana = LogIn("ana", "password-ana");
  httplib::Result page = Client().Get("/admin", ana.headers());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 403);
  httplib::Result add =
      Post(ana, "/admin/users", {{"name", "eve"}, {"role", "admin"}, {"password", "password-eve"}});
  ASSERT_TRUE(add);
  EXPECT_EQ(add->status, 403);
  httplib::Result token = Post(ana, "/admin/tokens", {{"user", "ana"}, {"label", "mine"}});
  ASSERT_TRUE(token);
  EXPECT_EQ(token->status, 403);
  EXPECT_FALSE(store::UserRepository(*db_).FindByName("eve")->has_value());
  EXPECT_TRUE(store::TokenRepository(*db_).List()->empty());
}

TEST_F(AdminPageTest, AdminAddsAUserWhoCanLogIn) {
  Browser root = LogIn("root", "password-root", "/admin");
  httplib::Result page = Client().Get("/admin", root.headers());
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find("id=\"user-ana\""), std::string::npos);
  EXPECT_NE(page->body.find("<td>root</td><td>login</td>"), std::string::npos) << "the audit log";

  httplib::Result add = Post(root, "/admin/users",
                             {{"name", "vic"}, {"role", "viewer"}, {"password", "password-vic"}});
  ASSERT_TRUE(add);
  EXPECT_EQ(add->status, 303);
  EXPECT_EQ(LastAudit(), "root user_add User vic added as viewer");
  httplib::Client client = Client();
  httplib::Result login = PostLogin(client, "vic", "password-vic");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 303);

  httplib::Result short_password =
      Post(root, "/admin/users", {{"name", "eve"}, {"role", "viewer"}, {"password", "short"}});
  ASSERT_TRUE(short_password && short_password->status == 303);
  EXPECT_FALSE(store::UserRepository(*db_).FindByName("eve")->has_value());
}

TEST_F(AdminPageTest, RoleChangesAndDisablingAreAuditedAndTheLastAdminStays) {
  Browser root = LogIn("root", "password-root", "/admin");
  httplib::Result role = Post(root, "/admin/users/role", {{"name", "ana"}, {"role", "viewer"}});
  ASSERT_TRUE(role && role->status == 303);
  EXPECT_EQ((*store::UserRepository(*db_).FindByName("ana"))->role, Role::kViewer);
  EXPECT_EQ(LastAudit(), "root user_role User ana is now viewer");

  httplib::Result disable = Post(root, "/admin/users/disable", {{"name", "ana"}});
  ASSERT_TRUE(disable && disable->status == 303);
  EXPECT_TRUE((*store::UserRepository(*db_).FindByName("ana"))->disabled());
  EXPECT_EQ(LastAudit(), "root user_disable User ana disabled: their sessions end now");
  httplib::Client client = Client();
  httplib::Result login = PostLogin(client, "ana", "password-ana");
  ASSERT_TRUE(login);
  EXPECT_NE(login->status, 303);

  // root is the only admin: neither demoted nor disabled.
  Post(root, "/admin/users/role", {{"name", "root"}, {"role", "operator"}});
  Post(root, "/admin/users/disable", {{"name", "root"}});
  std::optional<store::UserRecord> admin = *store::UserRepository(*db_).FindByName("root");
  EXPECT_EQ(admin->role, Role::kAdmin);
  EXPECT_FALSE(admin->disabled());
}

TEST_F(AdminPageTest, TokenIsShownOnceWorksOnTheApiAndCanBeRevoked) {
  Browser root = LogIn("root", "password-root", "/admin");
  httplib::Result posted = Post(root, "/admin/tokens", {{"user", "ana"}, {"label", "scripts"}});
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 303) << posted->body;
  ASSERT_EQ(posted->get_header_value("Location"), "/admin/tokens/new");
  httplib::Result created = Client().Get("/admin/tokens/new", root.headers());
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 200) << created->body;
  std::smatch match;
  ASSERT_TRUE(
      std::regex_search(created->body, match, std::regex("id=\"token-secret\">([0-9a-f]{64})<")));
  const std::string secret = match[1].str();
  EXPECT_EQ(LastAudit().rfind("root ", 0), 0u);
  EXPECT_EQ(LastAudit().find(secret), std::string::npos) << "never in the audit log";

  httplib::Result api = Client().Get("/api/v1/services", {{"Authorization", "Bearer " + secret}});
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 200) << api->body;

  httplib::Result page = Client().Get("/admin", root.headers());
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_EQ(page->body.find(secret), std::string::npos) << "shown once only";
  EXPECT_NE(page->body.find("<td>scripts</td>"), std::string::npos);

  int64_t id = store::TokenRepository(*db_).List()->front().id;
  httplib::Result revoke = Post(root, "/admin/tokens/revoke", {{"id", std::to_string(id)}});
  ASSERT_TRUE(revoke && revoke->status == 303);
  httplib::Result refused =
      Client().Get("/api/v1/services", {{"Authorization", "Bearer " + secret}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
}

TEST_F(AdminPageTest, AuditLogIsPagedNewestFirst) {
  for (int i = 0; i < 60; ++i) {
    ASSERT_TRUE(store::AuditLog(*db_).Append(i, "cli", "test", fmt::format("row {}", i)).ok());
  }
  Browser root = LogIn("root", "password-root", "/admin");
  httplib::Result first = Client().Get("/admin", root.headers());
  ASSERT_TRUE(first && first->status == 200);
  EXPECT_NE(first->body.find("root</td><td>login"), std::string::npos);
  EXPECT_NE(first->body.find("row 59"), std::string::npos);
  EXPECT_EQ(first->body.find("row 5<"), std::string::npos);
  EXPECT_NE(first->body.find("href=\"/admin?audit_page=2#audit\""), std::string::npos);
  httplib::Result second = Client().Get("/admin?audit_page=2", root.headers());
  ASSERT_TRUE(second && second->status == 200);
  EXPECT_NE(second->body.find("row 0<"), std::string::npos);
  EXPECT_EQ(second->body.find("row 59"), std::string::npos);
  // A page number beyond the last (up to int64's largest) shows the last page.
  for (const char* asked : {"3", "9223372036854775807", "99999999999999999999"}) {
    httplib::Result far = Client().Get(std::string("/admin?audit_page=") + asked, root.headers());
    ASSERT_TRUE(far && far->status == 200) << asked;
    EXPECT_NE(far->body.find("<span>Page 2</span>"), std::string::npos) << asked;
    EXPECT_EQ(far->body.find("rel=\"next\""), std::string::npos) << asked;
  }
  // Nor does a negative one lead to negative page links.
  httplib::Result negative = Client().Get("/admin?audit_page=-5", root.headers());
  ASSERT_TRUE(negative && negative->status == 200);
  EXPECT_NE(negative->body.find("<span>Page 1</span>"), std::string::npos);
  EXPECT_EQ(negative->body.find("audit_page=-"), std::string::npos);
  EXPECT_EQ(negative->body.find("audit_page=0"), std::string::npos);
}

// Issue 12: reloading the "new API token" page created another token.
TEST_F(AdminPageTest, TheNewTokenPageFollowsPostRedirectGetAndShowsTheTokenOnce) {
  Browser root = LogIn("root", "password-root", "/admin");
  httplib::Result posted = Post(root, "/admin/tokens", {{"user", "ana"}, {"label", "ci"}});
  ASSERT_TRUE(posted && posted->status == 303);
  const std::string location = posted->get_header_value("Location");
  EXPECT_EQ(location, "/admin/tokens/new") << "never the secret in the URL";

  httplib::Result first = Client().Get(location, root.headers());
  ASSERT_TRUE(first && first->status == 200);
  std::smatch match;
  ASSERT_TRUE(
      std::regex_search(first->body, match, std::regex("id=\"token-secret\">([0-9a-f]{64})<")));
  EXPECT_NE(first->body.find("data-copy=\"token-secret\""), std::string::npos) << "copy button";
  EXPECT_EQ(first->get_header_value("Cache-Control").find("no-store"), 0u);

  httplib::Result reload = Client().Get(location, root.headers());
  ASSERT_TRUE(reload && reload->status == 200);
  EXPECT_EQ(reload->body.find(match[1].str()), std::string::npos);
  EXPECT_EQ(reload->body.find("token-secret"), std::string::npos);
  EXPECT_NE(reload->body.find("shown once"), std::string::npos);
  EXPECT_EQ(Query("SELECT count(*) FROM api_tokens"), "1");

  // Another admin's session never sees it either.
  Browser other = LogIn("root", "password-root", "/admin");
  ASSERT_TRUE(Post(root, "/admin/tokens", {{"user", "ana"}}));
  httplib::Result foreign = Client().Get(location, other.headers());
  ASSERT_TRUE(foreign && foreign->status == 200);
  EXPECT_EQ(foreign->body.find("token-secret"), std::string::npos);
}

}  // namespace
}  // namespace imeiflow::web
