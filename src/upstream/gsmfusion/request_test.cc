#include "upstream/gsmfusion/request.h"

#include <gtest/gtest.h>

namespace imeiflow::upstream::gsmfusion {
namespace {

TEST(ApiUrl, AppendsThePathOnce) {
  EXPECT_EQ(ApiUrl("https://s.example"), "https://s.example/gsmfusion_api/index.php");
  EXPECT_EQ(ApiUrl("https://s.example/"), "https://s.example/gsmfusion_api/index.php");
  EXPECT_EQ(ApiUrl("http://127.0.0.1:8080/shop//"),
            "http://127.0.0.1:8080/shop/gsmfusion_api/index.php");
}

TEST(BuildRequest, CredentialsActionThenFields) {
  Settings s{"https://s.example", "alice", "KEY-1", std::chrono::milliseconds(2000),
             std::chrono::milliseconds(9000)};
  HttpRequest r = BuildRequest(s, "getimeis", {{"orderIds", "1,2"}});
  EXPECT_EQ(r.url, "https://s.example/gsmfusion_api/index.php");
  EXPECT_EQ(r.connect_timeout.count(), 2000);
  EXPECT_EQ(r.total_timeout.count(), 9000);
  FormFields expected = {
      {"apiKey", "KEY-1"}, {"userId", "alice"}, {"action", "getimeis"}, {"orderIds", "1,2"}};
  EXPECT_EQ(r.form, expected);
}

TEST(PlaceOrderFields, JoinsImeisAndSendsOnlyKnownNonEmptyFields) {
  PlaceOrderRequest req;
  req.service_id = "1739";
  req.imeis = {"356789012345675", "356789012345683"};
  req.fields = {{"MODELNO", "A2633"},
                {"providerid", "11"},
                {"pin", ""},
                {"Phone Model", "x"},
                {"other", "note"}};
  FormFields expected = {{"imei", "356789012345675,356789012345683"},
                         {"networkId", "1739"},
                         {"modelNo", "A2633"},
                         {"providerId", "11"},
                         {"other", "note"}};
  EXPECT_EQ(PlaceOrderFields(req), expected);
}

}  // namespace
}  // namespace imeiflow::upstream::gsmfusion
