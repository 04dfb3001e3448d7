#include "web/cookies.h"

#include <gtest/gtest.h>

namespace imeiflow::web {
namespace {

HttpRequest WithCookies(std::initializer_list<std::string> headers) {
  HttpRequest request;
  for (const std::string& h : headers) request.headers.emplace("Cookie", h);
  return request;
}

TEST(CookiesTest, FindsCookiesAmongOthers) {
  HttpRequest request = WithCookies({"a=1; imeiflow_session=abc ; b=\"q\"", "c=3"});
  EXPECT_EQ(CookieValue(request, "imeiflow_session"), "abc");
  EXPECT_EQ(CookieValue(request, "b"), "q");
  EXPECT_EQ(CookieValue(request, "c"), "3");
  EXPECT_FALSE(CookieValue(request, "imeiflow").has_value());
  EXPECT_FALSE(CookieValue(WithCookies({}), "a").has_value());
}

TEST(CookiesTest, SetCookieCarriesTheSafetyFlags) {
  EXPECT_EQ(SetCookieValue("s", "v", false), "s=v; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(SetCookieValue("s", "", true, CookieLifetime{.max_age_s = 0}),
            "s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure");
}

TEST(CookiesTest, PercentEncodesEverythingButUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("/jobs/12?page=2&x=a b"), "%2Fjobs%2F12%3Fpage%3D2%26x%3Da%20b");
  EXPECT_EQ(PercentEncode("Az09-._~"), "Az09-._~");
}

TEST(CookiesTest, CookieTextRoundTripsAnyBytes) {
  std::string text = "ok:Job 12: 6,000 IMEIs; <b>100%</b> \xc3\xa9";
  std::string encoded = CookieTextEncode(text);
  EXPECT_EQ(
      encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(CookieTextDecode(encoded), text);
  EXPECT_FALSE(CookieTextDecode("not base64!").has_value());
}

}  // namespace
}  // namespace imeiflow::web
