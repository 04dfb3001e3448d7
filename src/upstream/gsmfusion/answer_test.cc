#include "upstream/gsmfusion/answer.h"

#include <gtest/gtest.h>

namespace imeiflow::upstream::gsmfusion {
namespace {

constexpr const char* kServices = R"(<?xml version="1.0" encoding="utf-8"?>
<Packages>
  <Package>
    <PackageId>1739</PackageId>
    <Category>Apple Checks</Category>
    <PackageTitle>iPhone Carrier + SIM-Lock + FMI</PackageTitle>
    <PackagePrice>0.08</PackagePrice>
    <TimeTaken>1-5 Minutes</TimeTaken>
    <MustRead>Only &lt;b&gt;iPhone&lt;/b&gt;</MustRead>
  </Package>
  <Package>
    <PackageId>25</PackageId>
    <Category>Unlocks</Category>
    <PackageTitle>AT&amp;T Premium Unlock</PackageTitle>
    <PackagePrice>$12.50</PackagePrice>
    <TimeTaken>1-3 Days</TimeTaken>
    <Extra>ignored</Extra>
  </Package>
</Packages>)";

TEST(ServicesAnswer, ParsesEveryPackage) {
  auto a = ParseServicesAnswer(kServices);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_EQ(a->services.size(), 2u);
  const Service& s = a->services[0];
  EXPECT_EQ(s.id, "1739");
  EXPECT_EQ(s.category, "Apple Checks");
  EXPECT_EQ(s.title, "iPhone Carrier + SIM-Lock + FMI");
  ASSERT_TRUE(s.price.has_value());
  EXPECT_EQ(s.price->cents(), 8);
  EXPECT_EQ(s.delivery, "1-5 Minutes");
  EXPECT_EQ(s.must_read, "Only <b>iPhone</b>");
  EXPECT_EQ(a->services[1].title, "AT&T Premium Unlock");
  EXPECT_EQ(a->services[1].price->cents(), 1250);
  EXPECT_FALSE(a->error);
}

TEST(ServicesAnswer, SinglePackageIsAListOfOne) {
  auto a = ParseServicesAnswer(
      "<Packages><Package><PackageId>7</PackageId><PackagePrice>1</PackagePrice></Package></"
      "Packages>");
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->services.size(), 1u);
  EXPECT_EQ(a->services[0].id, "7");
}

TEST(ServicesAnswer, PhpxmlPrologBomAndWhitespaceAreTolerated) {
  std::string body =
      "\xEF\xBB\xBF \r\n<?phpxml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<Packages><Package><PackageId>9</PackageId><PackagePrice>0.10</PackagePrice>"
      "</Package></Packages>";
  auto a = ParseServicesAnswer(body);
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_EQ(a->services.size(), 1u);
  EXPECT_EQ(a->services[0].price->cents(), 10);
}

TEST(ServicesAnswer, BadPriceKeepsServiceWithWarning) {
  auto a = ParseServicesAnswer(
      "<Packages><Package><PackageId>7</PackageId><PackagePrice>call us</PackagePrice></Package>"
      "<Package><Category>no id</Category></Package></Packages>");
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->services.size(), 1u);
  EXPECT_FALSE(a->services[0].price);
  EXPECT_EQ(a->services[0].price_text, "call us");
  EXPECT_EQ(a->warnings.size(), 2u);
}

std::string Package(const std::string& id, const std::string& title,
                    const std::string& must_read = "") {
  return "<Package><PackageId>" + id + "</PackageId><PackageTitle>" + title +
         "</PackageTitle><PackagePrice>0.08</PackagePrice><MustRead>" + must_read +
         "</MustRead></Package>";
}

std::string Packages(const std::string& inside) { return "<Packages>" + inside + "</Packages>"; }

// Attack-run row 24: a 60 MB service title was accepted and cached.
TEST(ServicesAnswer, FieldLengthsAreBounded) {
  std::string longest(kMaxServiceFieldChars, 'T');
  auto fits = ParseServicesAnswer(Packages(Package("1", longest)));
  ASSERT_TRUE(fits.ok()) << fits.status().message();
  EXPECT_EQ(fits->services[0].title, longest);

  auto title = ParseServicesAnswer(Packages(Package("1", "ok") + Package("2", longest + "T")));
  ASSERT_FALSE(title.ok());
  EXPECT_EQ(title.status().message(),
            "package 2: PackageTitle is 1001 characters long; at most 1000 are accepted");

  auto notes =
      ParseServicesAnswer(Packages(Package("3", "ok", std::string(kMaxMustReadChars + 1, 'n'))));
  ASSERT_FALSE(notes.ok());
  EXPECT_NE(notes.status().message().find("package 3: MustRead is 10001 characters long"),
            std::string::npos)
      << notes.status().message();

  auto id = ParseServicesAnswer(Packages(Package(std::string(kMaxServiceFieldChars + 1, '9'), "")));
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().message(),
            "package #1: PackageId is 1001 characters long; at most 1000 are accepted");
}

TEST(ServicesAnswer, LengthsCountCharactersNotBytes) {
  std::string title;
  for (size_t i = 0; i < kMaxServiceFieldChars; ++i) title += "\xC3\xA9";  // é, two bytes
  auto a = ParseServicesAnswer(Packages(Package("1", title)));
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->services[0].title, title);
}

TEST(ServicesAnswer, ServiceCountIsBounded) {
  std::string list;
  for (size_t i = 0; i < kMaxServices; ++i) list += Package(std::to_string(i), "s");
  auto most = ParseServicesAnswer(Packages(list));
  ASSERT_TRUE(most.ok()) << most.status().message();
  EXPECT_EQ(most->services.size(), kMaxServices);

  auto too_many = ParseServicesAnswer(Packages(list + Package("x", "s")));
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().message(),
            "the supplier lists 20001 services; at most 20000 are accepted");
}

TEST(ServicesAnswer, ErrorRootIsAnAnswer) {
  auto a = ParseServicesAnswer("<?xml version=\"1.0\"?><error>Invalid API Key!</error>");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->error);
  EXPECT_EQ(*a->error, "Invalid API Key!");
}

TEST(ServicesAnswer, UnexpectedRootIsAnError) {
  auto a = ParseServicesAnswer("<result><imeis/></result>");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("root <result>"), std::string::npos);
}

TEST(Answers, EmptyBodyIsAClearError) {
  for (const char* body : {"", "   \n", "\xEF\xBB\xBF", "<?xml version=\"1.0\"?>"}) {
    auto a = ParsePlaceOrderAnswer(body);
    ASSERT_FALSE(a.ok()) << body;
    EXPECT_EQ(a.status().code(), StatusCode::kCorrupt);
    EXPECT_NE(a.status().message().find("empty answer"), std::string::npos) << a.status().message();
  }
}

TEST(Answers, HtmlErrorPageIsAClearError) {
  auto a = ParsePlaceOrderAnswer(
      "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>x</body></html>");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("HTML page"), std::string::npos);
  EXPECT_NE(a.status().message().find("502 Bad Gateway"), std::string::npos);
  EXPECT_FALSE(ParseOrdersAnswer("<HTML><body>oops</body></HTML>").ok());
}

TEST(Answers, TruncatedXmlIsAClearError) {
  auto a = ParsePlaceOrderAnswer("<result><imeis><id>55</id><imei>3566");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("truncated"), std::string::npos) << a.status().message();
  auto b = ParsePlaceOrderAnswer("<result><imeis><id>55</id><im");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kCorrupt);
  EXPECT_FALSE(ParsePlaceOrderAnswer("<?phpxml version=\"1.0\"").ok());
}

TEST(Answers, MalformedXmlNamesTheLine) {
  auto a = ParseOrdersAnswer("<result>\n<imeis>\n<id>1</wrong>\n</imeis></result>");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("line 3"), std::string::npos) << a.status().message();
}

TEST(Answers, PlainTextIsAClearError) {
  auto a = ParsePlaceOrderAnswer("Fatal error: Allowed memory size exhausted");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("not an XML answer"), std::string::npos);
}

TEST(PlaceOrderAnswer, OrdersAndDuplicates) {
  auto a = ParsePlaceOrderAnswer(R"(<?xml version="1.0" encoding="utf-8"?>
<result>
  <imeis><id>1001</id><imei>356789012345675</imei><status>1</status></imeis>
  <imeis><id>1002</id><imei>356789012345683</imei><status>Pending</status></imeis>
  <imeiduplicates><imei>356789012345691, 356789012345709</imei></imeiduplicates>
  <unknown>whatever</unknown>
</result>)");
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_EQ(a->orders.size(), 2u);
  EXPECT_EQ(a->orders[0].id, "1001");
  EXPECT_EQ(a->orders[0].imei, "356789012345675");
  EXPECT_EQ(a->orders[0].status, OrderStatus::kPending);
  EXPECT_EQ(a->orders[1].status, OrderStatus::kPending);
  EXPECT_EQ(a->duplicates, (std::vector<std::string>{"356789012345691", "356789012345709"}));
}

TEST(PlaceOrderAnswer, DuplicateErrorRoot) {
  auto a = ParsePlaceOrderAnswer("<?phpxml version=\"1.0\"?><error>IMEI already exists!</error>");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a->error, "IMEI already exists!");
}

TEST(PlaceOrderAnswer, ErrorInsideResult) {
  auto a = ParsePlaceOrderAnswer("<result><error>Invalid IMEI</error></result>");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->error);
  EXPECT_EQ(*a->error, "Invalid IMEI");
}

TEST(OrdersAnswer, NumericAndWordedStatuses) {
  auto a = ParseOrdersAnswer(R"(<result>
<imeis><id>1</id><package>Check</package><imei>356789012345675</imei><status>2</status>
  <code>Model: iPhone 13 - Carrier: Unlocked<br>SimLock: Unlocked</code><requestedat>2026-11-14 03:33:00</requestedat></imeis>
<imeis><id>2</id><imei>356789012345683</imei><status>In Process</status><code></code></imeis>
<imeis><id>3</id><imei>356789012345691</imei><status>Rejected</status><code>Invalid IMEI</code></imeis>
<imeis><id>4</id><status>weird</status></imeis>
<imeis><imei>no id</imei></imeis>
</result>)");
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_EQ(a->orders.size(), 4u);
  EXPECT_EQ(a->orders[0].status, OrderStatus::kCompleted);
  EXPECT_EQ(a->orders[0].service, "Check");
  EXPECT_EQ(a->orders[0].code, "Model: iPhone 13 - Carrier: Unlocked<br>SimLock: Unlocked");
  EXPECT_EQ(a->orders[0].requested_at, "2026-11-14 03:33:00");
  EXPECT_EQ(a->orders[1].status, OrderStatus::kInProcess);
  EXPECT_EQ(a->orders[2].status, OrderStatus::kRejected);
  EXPECT_EQ(a->orders[2].code, "Invalid IMEI");
  EXPECT_EQ(a->orders[3].status, OrderStatus::kUnrecognised);
  EXPECT_EQ(a->orders[3].status_text, "weird");
  EXPECT_EQ(a->warnings.size(), 1u);
}

TEST(OrdersAnswer, EmptyResultHasNoOrders) {
  auto a = ParseOrdersAnswer("<result></result>");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->orders.empty());
}

TEST(OrderStatusText, AllForms) {
  EXPECT_EQ(ParseOrderStatus("1"), OrderStatus::kPending);
  EXPECT_EQ(ParseOrderStatus(" 2 "), OrderStatus::kCompleted);
  EXPECT_EQ(ParseOrderStatus("3"), OrderStatus::kRejected);
  EXPECT_EQ(ParseOrderStatus("4"), OrderStatus::kInProcess);
  EXPECT_EQ(ParseOrderStatus("COMPLETED"), OrderStatus::kCompleted);
  EXPECT_EQ(ParseOrderStatus("InProcess"), OrderStatus::kInProcess);
  EXPECT_EQ(ParseOrderStatus("in-process"), OrderStatus::kInProcess);
  EXPECT_EQ(ParseOrderStatus("5"), OrderStatus::kUnrecognised);
  EXPECT_EQ(ParseOrderStatus(""), OrderStatus::kUnrecognised);
}

}  // namespace
}  // namespace imeiflow::upstream::gsmfusion
