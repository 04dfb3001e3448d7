#include "sim/dhru_parameters.h"

#include <gtest/gtest.h>

namespace imeiflow::sim {
namespace {

TEST(DhruParametersTest, Base64RoundTrips) {
  for (std::string text : {"", "a", "ab", "abc", "{\"ID\":\"1739\"}"}) {
    EXPECT_EQ(Base64Decode(Base64Encode(text)).value_or("?"), text);
  }
  EXPECT_FALSE(Base64Decode("a$b=").has_value());
}

TEST(DhruParametersTest, DecodesBase64JsonWithUpperCasedKeys) {
  auto p = DecodeParameters(Base64Encode(R"({"ID": 1739, "imei": "35", "customfield": "x"})"),
                            DhruParameters::kAny);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->at("ID"), "1739");
  EXPECT_EQ(p->at("IMEI"), "35");
  EXPECT_EQ(p->at("CUSTOMFIELD"), "x");
}

TEST(DhruParametersTest, DecodesXmlAndRefusesWhatIsNotAccepted) {
  std::string xml = "<PARAMETERS><ID>1739</ID><IMEI>35</IMEI></PARAMETERS>";
  auto p = DecodeParameters(xml, DhruParameters::kXml);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->at("ID"), "1739");
  EXPECT_FALSE(DecodeParameters(xml, DhruParameters::kBase64).ok());
  EXPECT_FALSE(DecodeParameters(Base64Encode("{}"), DhruParameters::kXml).ok());
  auto bad = DecodeParameters("not base64!", DhruParameters::kAny);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "Parameters must be valid base64-encoded JSON");
}

TEST(DhruParametersTest, BulkRowsKeepTheirOrder) {
  auto rows = DecodeBulkParameters(Base64Encode(R"({"z": {"ID": "1"}, "a": {"ID": "2"}})"));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].ref, "z");
  EXPECT_EQ((*rows)[1].parameters.at("ID"), "2");
  EXPECT_FALSE(DecodeBulkParameters(Base64Encode(R"({"z": 5})")).ok());
}

}  // namespace
}  // namespace imeiflow::sim
