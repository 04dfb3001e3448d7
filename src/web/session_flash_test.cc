#include "web/session_flash.h"

#include <gtest/gtest.h>

namespace imeiflow::web {
namespace {

TEST(SecretFlashTest, IsTakenOnceBySessionItWasMadeFor) {
  SecretFlash flash;
  flash.Put("session-a", {{"secret", "s3cret"}}, 0);
  EXPECT_FALSE(flash.Take("session-b", 1).has_value());
  std::optional<FlashFields> taken = flash.Take("session-a", 1);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->at("secret"), "s3cret");
  EXPECT_FALSE(flash.Take("session-a", 2).has_value());
}

TEST(SecretFlashTest, ANewFlashReplacesTheOldAndOldOnesAreForgotten) {
  SecretFlash flash;
  flash.Put("a", {{"secret", "first"}}, 0);
  flash.Put("a", {{"secret", "second"}}, 1);
  EXPECT_EQ(flash.Take("a", 2)->at("secret"), "second");
  flash.Put("a", {{"secret", "late"}}, 10);
  EXPECT_FALSE(flash.Take("a", 10 + kSecretFlashTtlMs).has_value());
}

}  // namespace
}  // namespace imeiflow::web
