#include "web/api_auth.h"

#include <gtest/gtest.h>

#include "store/test_database.h"
#include "store/token_repository.h"

namespace imeiflow::web {
namespace {

TEST(BearerTokenTest, ReadsTheTokenOfABearerHeader) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("bearer  abc "), "abc");
  EXPECT_EQ(BearerToken("BEARER abc"), "abc");
  EXPECT_FALSE(BearerToken("").has_value());
  EXPECT_FALSE(BearerToken("Bearer").has_value());
  EXPECT_FALSE(BearerToken("Bearer    ").has_value());
  EXPECT_FALSE(BearerToken("Basic abc").has_value());
  EXPECT_FALSE(BearerToken("Bearerabc").has_value());
}

using AuthenticateBearerTest = store::TestDatabase;

TEST_F(AuthenticateBearerTest, GivesTheUserAndRoleAndNeverEchoesTheToken) {
  ASSERT_TRUE(db_->Exec("INSERT INTO users(name, role, password_hash, created_at)"
                        " VALUES ('ann', 'operator', 'x', 0)")
                  .ok());
  Result<store::NewToken> token = store::TokenRepository(*db_).Create("ann", "", "test", 0);
  ASSERT_TRUE(token.ok());
  Result<ApiCaller> caller = AuthenticateBearer("Bearer " + token->secret, *db_, 1);
  ASSERT_TRUE(caller.ok()) << caller.status().message();
  EXPECT_EQ(caller->user_name, "ann");
  EXPECT_EQ(caller->role, Role::kOperator);

  std::string wrong = token->secret;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  Result<ApiCaller> refused = AuthenticateBearer("Bearer " + wrong, *db_, 1);
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(refused.status().message().find(wrong), std::string::npos);
  EXPECT_EQ(AuthenticateBearer("", *db_, 1).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(AuthenticateBearer(token->secret, *db_, 1).status().code(),
            StatusCode::kPermissionDenied);  // no scheme
}

TEST(RoleTest, NamesAndOrder) {
  for (Role r : {Role::kViewer, Role::kOperator, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root").has_value());
  EXPECT_TRUE(Allows(Role::kAdmin, Role::kOperator));
  EXPECT_TRUE(Allows(Role::kOperator, Role::kOperator));
  EXPECT_FALSE(Allows(Role::kViewer, Role::kOperator));
  EXPECT_FALSE(Allows(Role::kOperator, Role::kAdmin));
}

}  // namespace
}  // namespace imeiflow::web
