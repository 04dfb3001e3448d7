#include "sim/catalogue.h"

#include <gtest/gtest.h>

namespace imeiflow::sim {
namespace {

TEST(CatalogueTest, BuiltInHoldsTheAppleCheckAndUnlocks) {
  Catalogue c = Catalogue::BuiltIn();
  EXPECT_GE(c.services().size(), 8u);
  const Service* check = c.Find("1739");
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->title, "iPhone Carrier + FMI + SimLock Check");
  EXPECT_EQ(check->price.ToDecimal(), "0.08");
  EXPECT_EQ(check->kind, ServiceKind::kAppleCheck);
  int unlocks = 0;
  for (const Service& s : c.services()) unlocks += s.kind == ServiceKind::kUnlock;
  EXPECT_GE(unlocks, 3);
  EXPECT_EQ(c.Find("9999"), nullptr);
}

TEST(CatalogueTest, ParsesJsonWithStringAndNumberPrices) {
  auto c = Catalogue::FromJson(R"([
    {"id": "10", "category": "Checks", "title": "iPhone FMI Check", "price": "0.08",
     "delivery": "Instant", "must_read": "none"},
    {"id": 11, "title": "Some Unlock", "price": 12.5},
    {"id": "12", "title": "Odd one", "price": 1, "kind": "unlock"}
  ])",
                               "test.json");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->services().size(), 3u);
  EXPECT_EQ(c->services()[0].price.cents(), 8);
  EXPECT_EQ(c->services()[0].kind, ServiceKind::kAppleCheck);
  EXPECT_EQ(c->services()[1].id, "11");
  EXPECT_EQ(c->services()[1].price.cents(), 1250);
  EXPECT_EQ(c->services()[1].kind, ServiceKind::kUnlock);
  EXPECT_EQ(c->services()[2].kind, ServiceKind::kUnlock);
}

TEST(CatalogueTest, BadJsonNamesTheFileAndTheEntry) {
  struct Case {
    const char* json;
    const char* expected;
  } cases[] = {
      {"not json", "test.json: not valid JSON"},
      {R"({"id": "1"})", "expected a JSON array"},
      {"[]", "holds no service"},
      {R"([{"id": "1", "title": "a", "price": "0.08"}, {"title": "b", "price": 1}])",
       "service #2: missing \"id\""},
      {R"([{"id": "1", "title": "a", "price": "-1"}])", "service #1: price: bad amount"},
      {R"([{"id": "1", "title": "a", "price": "0.001"}])", "more precise than a cent"},
      {R"([{"id": "1", "title": "a"}])", "missing \"price\""},
      {R"([{"id": "1", "title": "a", "price": 1}, {"id": "1", "title": "b", "price": 1}])",
       "duplicate id \"1\""},
      {R"([{"id": "1", "title": "a", "price": 1, "kind": "x"}])", "unknown kind \"x\""},
      {R"([{"id": "1,2", "title": "a", "price": 1}])", "\"id\" must not contain"},
  };
  for (const Case& c : cases) {
    auto result = Catalogue::FromJson(c.json, "test.json");
    ASSERT_FALSE(result.ok()) << c.json;
    EXPECT_NE(result.status().message().find(c.expected), std::string::npos)
        << result.status().message();
    EXPECT_EQ(result.status().message().rfind("test.json", 0), 0u);
  }
}

TEST(CatalogueTest, MissingFileIsAnIoError) {
  auto c = Catalogue::LoadFile("/nonexistent/services.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace imeiflow::sim
