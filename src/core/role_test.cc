#include "core/role.h"

#include <gtest/gtest.h>

namespace imeiflow {
namespace {

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : {Role::kViewer, Role::kOperator, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
}

TEST(RoleTest, RejectsUnknownNames) {
  EXPECT_FALSE(ParseRole("Admin").has_value());
  EXPECT_FALSE(ParseRole("root").has_value());
  EXPECT_FALSE(ParseRole("").has_value());
}

TEST(RoleTest, HigherRolesAllowWhatLowerOnesMay) {
  EXPECT_TRUE(Allows(Role::kAdmin, Role::kOperator));
  EXPECT_TRUE(Allows(Role::kOperator, Role::kOperator));
  EXPECT_TRUE(Allows(Role::kOperator, Role::kViewer));
  EXPECT_FALSE(Allows(Role::kViewer, Role::kOperator));
  EXPECT_FALSE(Allows(Role::kOperator, Role::kAdmin));
}

}  // namespace
}  // namespace imeiflow
