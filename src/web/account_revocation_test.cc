// Issue 11, row 8: a user disabled and enabled again got their old session
// cookie and API token back. Through the admin page, they stay revoked.
#include <gtest/gtest.h>

#include "store/token_repository.h"
#include "web/api_auth.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

class AccountRevocationTest : public WebServerTest {
 protected:
  httplib::Result Post(const Browser& who, const std::string& path, httplib::Params params) {
    params.emplace("csrf_token", who.csrf);
    return Client().Post(path, who.headers(), params);
  }
};

TEST_F(AccountRevocationTest, DisableThenEnableDoesNotBringBackSessionsOrTokens) {
  AddUser("root", "admin", "password-root");
  AddUser("ana", "operator", "password-ana");
  Browser root = LogIn("root", "password-root", "/admin");
  Browser ana = LogIn("ana", "password-ana");
  Result<store::NewToken> token =
      store::TokenRepository(*db_).Create("ana", "script", "root", clock_->NowMs());
  ASSERT_TRUE(token.ok());

  httplib::Result disable = Post(root, "/admin/users/disable", {{"name", "ana"}});
  ASSERT_TRUE(disable && disable->status == 303);
  httplib::Result enable = Post(root, "/admin/users/enable", {{"name", "ana"}});
  ASSERT_TRUE(enable && enable->status == 303);

  httplib::Result page = Client().Get("/", ana.headers());
  ASSERT_TRUE(page);
  EXPECT_NE(page->status, 200);
  EXPECT_NE(page->get_header_value("Location").find("/login"), std::string::npos);
  EXPECT_EQ(AuthenticateBearer("Bearer " + token->secret, *db_, clock_->NowMs()).status().code(),
            StatusCode::kPermissionDenied);
  // Enabled again, ana logs in anew.
  LogIn("ana", "password-ana");
}

}  // namespace
}  // namespace imeiflow::web
