#include "upstream/dhru/request.h"

#include <gtest/gtest.h>

namespace imeiflow::upstream::dhru {
namespace {

using FormFields = decltype(HttpRequest::form);

std::string Field(const HttpRequest& r, const std::string& name) {
  for (const auto& [key, value] : r.form) {
    if (key == name) return value;
  }
  return "<absent>";
}

TEST(DhruRequest, Base64MatchesTheStandardAlphabetAndPadding) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("fo"), "Zm8=");
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_EQ(Base64("{\"ID\":\"1739\"}"), "eyJJRCI6IjE3MzkifQ==");
  EXPECT_EQ(Base64("\xff\xfe"), "//4=");
}

TEST(DhruRequest, BuildsTheFormWithCredentialsAndParameters) {
  Settings s;
  s.base_url = "https://s.example/";
  s.user = "alice";
  s.api_key = "KEY-123456789";
  HttpRequest r = BuildRequest(s, "accountinfo", "");
  EXPECT_EQ(r.url, "https://s.example/api/index.php");
  FormFields expected = {{"username", "alice"},
                         {"apiaccesskey", "KEY-123456789"},
                         {"action", "accountinfo"},
                         {"requestformat", "JSON"}};
  EXPECT_EQ(r.form, expected);
  EXPECT_EQ(Field(BuildRequest(s, "getimeiorder", "PD94"), "parameters"), "PD94");
}

TEST(DhruRequest, StandardFieldsByParameterNameCustomFieldsAsBase64Json) {
  Parameters p = PlaceOrderParameters(
      "1739", "356789012345675",
      {{"providerid", "11"}, {"Phone Model", "iPhone 13"}, {"pin", ""}, {"modelid", "5"}});
  std::string custom = Base64("{\"Phone Model\":\"iPhone 13\"}");
  Parameters expected = {{"ID", "1739"},   {"IMEI", "356789012345675"}, {"PROVIDERID", "11"},
                         {"MODELID", "5"}, {"customfield", custom},     {"CUSTOMFIELD", custom}};
  EXPECT_EQ(p, expected);
  EXPECT_EQ(EncodeParameters({{"ID", "1739"}, {"IMEI", "35"}}, ParameterEncoding::kBase64Json),
            Base64("{\"ID\":\"1739\",\"IMEI\":\"35\"}"));
}

TEST(DhruRequest, XmlUpperCasesKeysEscapesValuesAndSendsCustomFieldOnce) {
  Parameters p = PlaceOrderParameters("1739", "35", {{"note", "a<b&c"}});
  EXPECT_EQ(EncodeParameters(p, ParameterEncoding::kXml),
            "<PARAMETERS><ID>1739</ID><IMEI>35</IMEI><CUSTOMFIELD>" +
                Base64("{\"note\":\"a<b&c\"}") + "</CUSTOMFIELD></PARAMETERS>");
}

TEST(DhruRequest, BulkParametersAreBase64JsonKeyedByRef) {
  PlaceOrderRequest req{"1739", {"35A", "35B"}, {{"MEP", "7"}}};
  EXPECT_EQ(BulkPlaceParameters(req),
            Base64("{\"1\":{\"ID\":\"1739\",\"IMEI\":\"35A\",\"MEP\":\"7\"},"
                   "\"2\":{\"ID\":\"1739\",\"IMEI\":\"35B\",\"MEP\":\"7\"}}"));
  EXPECT_EQ(BulkOrdersParameters({"9", "10"}),
            Base64("{\"10\":{\"ID\":\"10\"},\"9\":{\"ID\":\"9\"}}"));
}

}  // namespace
}  // namespace imeiflow::upstream::dhru
