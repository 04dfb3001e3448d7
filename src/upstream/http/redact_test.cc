#include "upstream/http/redact.h"

#include <gtest/gtest.h>

namespace imeiflow::upstream {
namespace {

TEST(RedactUrl, HidesTheUserInfoWhenItHoldsOne) {
  EXPECT_EQ(RedactUrl("http://user:SECRET@host"), "http://***@host");
  EXPECT_EQ(RedactUrl("https://user:SECRET@host:8443/api?x=1"), "https://***@host:8443/api?x=1");
  EXPECT_EQ(RedactUrl("http://TOKEN@host/"), "http://***@host/");
  EXPECT_EQ(RedactUrl("http://u:p@ss@host/"), "http://***@host/");  // '@' inside the password
  EXPECT_EQ(RedactUrl("user:SECRET@host/x"), "***@host/x");         // no scheme, as curl allows
}

TEST(RedactUrl, LeavesOtherUrlsAlone) {
  EXPECT_EQ(RedactUrl("https://supplier.example/gsmfusion_api/index.php"),
            "https://supplier.example/gsmfusion_api/index.php");
  EXPECT_EQ(RedactUrl("https://host/path?mail=a@b"), "https://host/path?mail=a@b");
  EXPECT_EQ(RedactUrl(""), "");
}

TEST(UrlUserInfo, IsWhatComesBeforeTheHost) {
  EXPECT_EQ(UrlUserInfo("http://user:SECRET@host/x"), "user:SECRET");
  EXPECT_EQ(UrlUserInfo("http://host/x@y"), "");
}

TEST(MaskSecret, ReplacesEveryOccurrence) {
  std::string text = "key ABC and ABCABC";
  MaskSecret(text, "ABC");
  EXPECT_EQ(text, "key *** and ******");
  MaskSecret(text, "");
  EXPECT_EQ(text, "key *** and ******");
  std::string stars = "a*b";
  MaskSecret(stars, "*");  // the mask itself is not searched again
  EXPECT_EQ(stars, "a***b");
}

}  // namespace
}  // namespace imeiflow::upstream
