#include "sim/answers.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "sim/imei_check.h"
#include "sim/manual_clock_for_test.h"

namespace imeiflow::sim {
namespace {

pugi::xml_node Root(pugi::xml_document& doc, const std::string& xml) {
  pugi::xml_parse_result parsed = doc.load_string(xml.c_str());
  EXPECT_TRUE(parsed) << parsed.description() << " in " << xml;
  return doc.document_element();
}

TEST(AnswersTest, EscapesTheSpecialCharacters) {
  EXPECT_EQ(XmlEscape(R"(a&b<c>d"e'f)"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
}

TEST(AnswersTest, ErrorStartsWithTheGivenProlog) {
  std::string xml = ErrorXml(kXmlProlog, "IMEI already exists!");
  EXPECT_EQ(xml.rfind(R"(<?xml version="1.0" encoding="utf-8"?>)", 0), 0u);
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, xml);
  EXPECT_STREQ(root.name(), "error");
  EXPECT_STREQ(root.text().get(), "IMEI already exists!");
  EXPECT_EQ(ErrorXml(kPhpXmlProlog, "x").rfind("<?phpxml version=", 0), 0u);
}

TEST(AnswersTest, PackagesRoundTripEveryField) {
  Service s{"7",           "A & B",       "Title <with> \"marks\"", Money::FromCents(1250),
            "1-5 Minutes", "<b>Read</b>", ServiceKind::kUnlock};
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, PackagesXml(kXmlProlog, {s, s}));
  EXPECT_STREQ(root.name(), "Packages");
  int count = 0;
  for (pugi::xml_node p : root.children("Package")) {
    ++count;
    EXPECT_STREQ(p.child("PackageId").text().get(), "7");
    EXPECT_STREQ(p.child("Category").text().get(), "A & B");
    EXPECT_STREQ(p.child("PackageTitle").text().get(), "Title <with> \"marks\"");
    EXPECT_STREQ(p.child("PackagePrice").text().get(), "12.50");
    EXPECT_STREQ(p.child("TimeTaken").text().get(), "1-5 Minutes");
    EXPECT_STREQ(p.child("MustRead").text().get(), "<b>Read</b>");
  }
  EXPECT_EQ(count, 2);
}

TEST(AnswersTest, PlaceOrderListsOrdersThenDuplicates) {
  Catalogue catalogue = Catalogue::BuiltIn();
  PlaceOutcome out;
  Order order;
  order.id = 42;
  order.imei = NthImei(1);
  order.service = catalogue.Find("1739");
  out.created = {order};
  out.duplicates = {NthImei(2), NthImei(3)};
  pugi::xml_document doc;
  pugi::xml_node root = Root(doc, PlaceOrderXml(kXmlProlog, out));
  EXPECT_STREQ(root.name(), "result");
  EXPECT_STREQ(root.child("imeis").child("id").text().get(), "42");
  EXPECT_STREQ(root.child("imeis").child("imei").text().get(), NthImei(1).c_str());
  EXPECT_STREQ(root.child("imeis").child("status").text().get(), "Pending");
  EXPECT_EQ(root.child("imeiduplicates").child("imei").text().get(), NthImei(2) + "," + NthImei(3));
  out.duplicates.clear();
  pugi::xml_document doc2;
  EXPECT_TRUE(Root(doc2, PlaceOrderXml(kXmlProlog, out)).child("imeiduplicates").empty());
}

TEST(AnswersTest, GetImeisWordsOrIdsAndEscapedCode) {
  ManualClock clock;
  OrderView view;
  view.id = 5;
  view.package = "Check & Co";
  view.imei = NthImei(1);
  view.status = OrderStatus::kInProcess;
  view.code = "Model: X<br>Carrier: AT&amp;T";
  view.placed = clock.Now();
  pugi::xml_document doc;
  pugi::xml_node imeis = Root(doc, GetImeisXml(kXmlProlog, {view}, false)).child("imeis");
  EXPECT_STREQ(imeis.child("id").text().get(), "5");
  EXPECT_STREQ(imeis.child("package").text().get(), "Check & Co");
  EXPECT_STREQ(imeis.child("status").text().get(), "In Process");
  EXPECT_STREQ(imeis.child("code").text().get(), "Model: X<br>Carrier: AT&amp;T");
  EXPECT_STREQ(imeis.child("requestedat").text().get(), "2025-11-14 03:33:00");
  pugi::xml_document doc2;
  EXPECT_STREQ(
      Root(doc2, GetImeisXml(kXmlProlog, {view}, true)).child("imeis").child("status").text().get(),
      "4");
}

}  // namespace
}  // namespace imeiflow::sim
