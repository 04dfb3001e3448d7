#include "core/result_code.h"

#include <gtest/gtest.h>

namespace imeiflow {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The field named `name` in `fields`, found through the column table.
std::string Field(const ResultFields& fields, std::string_view name) {
  for (const ResultFieldColumn& column : ResultFieldColumns()) {
    if (column.name == name) return fields.*column.member;
  }
  ADD_FAILURE() << "no column " << name;
  return "";
}

TEST(ResultCodeTest, ParsesAppleCarrierCheck) {
  const std::string code =
      "Model: iPhone 13 Pro 128GB Graphite - IMEI Number: 356789012345671 - Serial Number: "
      "F2LXK0ABCD12 - IMEI2 Number: 356789012345680 - MEID Number: 35678901234567 - AppleCare "
      "Eligible: NO - Estimated Purchase Date: 2021-10-01 - Carrier: Unlocked - Next Tether "
      "Policy: 10 - Find My iPhone: OFF - SimLock: Unlocked";
  ParsedResultCode parsed = ParseResultCode(code);
  EXPECT_EQ(parsed.raw, code);
  ResultFields expected;
  expected.model = "iPhone 13 Pro 128GB Graphite";
  expected.imei = "356789012345671";
  expected.serial = "F2LXK0ABCD12";
  expected.imei2 = "356789012345680";
  expected.meid = "35678901234567";
  expected.applecare = "NO";
  expected.purchase_date = "2021-10-01";
  expected.carrier = "Unlocked";
  expected.fmi = "OFF";
  expected.simlock = "Unlocked";
  EXPECT_EQ(parsed.fields, expected);
  ASSERT_EQ(parsed.pairs.size(), 11u);
  EXPECT_EQ(parsed.pairs[0], (std::pair<std::string, std::string>{"Model", expected.model}));
  EXPECT_EQ(parsed.pairs[8], (std::pair<std::string, std::string>{"Next Tether Policy", "10"}));
  EXPECT_EQ(parsed.pairs[10], (std::pair<std::string, std::string>{"SimLock", "Unlocked"}));
}

TEST(ResultCodeTest, ParsesBrSeparatedFmiCheckWithFontTags) {
  const std::string code =
      "Model: iPhone 11<br>IMEI: 353987654321098<BR/>Find My iPhone: <font "
      "color=\"red\">ON</font><br />iCloud Status: <span style='color:green'>Clean</span><Br "
      "/>Serial: C39ZK1ABN72J";
  ParsedResultCode parsed = ParseResultCode(code);
  EXPECT_EQ(parsed.fields.model, "iPhone 11");
  EXPECT_EQ(parsed.fields.imei, "353987654321098");
  EXPECT_EQ(parsed.fields.fmi, "ON");
  EXPECT_EQ(parsed.fields.serial, "C39ZK1ABN72J");
  EXPECT_EQ(parsed.pairs, (Pairs{{"Model", "iPhone 11"},
                                 {"IMEI", "353987654321098"},
                                 {"Find My iPhone", "ON"},
                                 {"iCloud Status", "Clean"},
                                 {"Serial", "C39ZK1ABN72J"}}));
}

TEST(ResultCodeTest, ParsesSamsungGsmaBlacklistCheck) {
  const std::string code =
      "Model Description: SAMSUNG GALAXY S21 5G (SM-G991U)\nIMEI1: 351234567890123\nIMEI 2: "
      "351234567890131\nSN: R5CR10ABCDE\nSold By: T-Mobile USA\nCurrent GSMA Status: "
      "BLACKLISTED\nBlacklist Status: Lost/Stolen\r\nPurchase Date: 04/12/2021";
  ParsedResultCode parsed = ParseResultCode(code);
  EXPECT_EQ(parsed.fields.model, "SAMSUNG GALAXY S21 5G (SM-G991U)");
  EXPECT_EQ(parsed.fields.imei, "351234567890123");
  EXPECT_EQ(parsed.fields.imei2, "351234567890131");
  EXPECT_EQ(parsed.fields.serial, "R5CR10ABCDE");
  EXPECT_EQ(parsed.fields.carrier, "T-Mobile USA");
  EXPECT_EQ(parsed.fields.gsma_status, "BLACKLISTED");  // first of two aliases wins
  EXPECT_EQ(parsed.fields.purchase_date, "04/12/2021");
  EXPECT_EQ(parsed.pairs.size(), 8u);
  EXPECT_EQ(parsed.pairs[6],
            (std::pair<std::string, std::string>{"Blacklist Status", "Lost/Stolen"}));
}

TEST(ResultCodeTest, UnlockCodeHasNoKnownFields) {
  ParsedResultCode parsed = ParseResultCode("Unlock Code: 12345678");
  EXPECT_EQ(parsed.pairs, (Pairs{{"Unlock Code", "12345678"}}));
  EXPECT_EQ(parsed.fields, ResultFields{});
}

TEST(ResultCodeTest, EveryKeyAliasFillsItsField) {
  const std::vector<std::pair<std::string, std::string>> aliases = {
      {"Model", "model"},
      {"Model Description", "model"},
      {"Device", "model"},
      {"IMEI", "imei"},
      {"IMEI Number", "imei"},
      {"IMEI1", "imei"},
      {"IMEI2", "imei2"},
      {"IMEI2 Number", "imei2"},
      {"IMEI 2", "imei2"},
      {"Serial", "serial"},
      {"Serial Number", "serial"},
      {"SN", "serial"},
      {"MEID", "meid"},
      {"MEID Number", "meid"},
      {"Carrier", "carrier"},
      {"Network", "carrier"},
      {"Locked Carrier", "carrier"},
      {"Sold By", "carrier"},
      {"SimLock", "simlock"},
      {"Sim-Lock Status", "simlock"},
      {"SIM Lock", "simlock"},
      {"Find My iPhone", "fmi"},
      {"FMI", "fmi"},
      {"iCloud Lock", "fmi"},
      {"FMI Status", "fmi"},
      {"Current GSMA Status", "gsma_status"},
      {"GSMA Status", "gsma_status"},
      {"Blacklist Status", "gsma_status"},
      {"Estimated Purchase Date", "purchase_date"},
      {"Purchase Date", "purchase_date"},
      {"AppleCare Eligible", "applecare"},
      {"AppleCare", "applecare"},
  };
  for (const auto& [key, column] : aliases) {
    ParsedResultCode parsed = ParseResultCode(key + ": value of " + key);
    EXPECT_EQ(Field(parsed.fields, column), "value of " + key) << key;
    int filled = 0;
    for (const ResultFieldColumn& c : ResultFieldColumns())
      filled += !(parsed.fields.*c.member).empty();
    EXPECT_EQ(filled, 1) << key;
  }
}

TEST(ResultCodeTest, KeysMatchIgnoringCasePunctuationAndSpaces) {
  ParsedResultCode parsed = ParseResultCode(
      "MODEL DESCRIPTION: iPad - imei   number : 354 - sim lock status: Locked - find-my-iphone: "
      "On - apple care eligible: yes");
  EXPECT_EQ(parsed.fields.model, "iPad");
  EXPECT_EQ(parsed.fields.imei, "354");
  EXPECT_EQ(parsed.fields.simlock, "Locked");
  EXPECT_EQ(parsed.fields.fmi, "On");
  EXPECT_EQ(parsed.fields.applecare, "yes");
  EXPECT_EQ(parsed.pairs[1].first, "imei number");  // keys are kept as written, spaces collapsed
}

TEST(ResultCodeTest, FirstNonEmptyCarrierWins) {
  ParsedResultCode parsed =
      ParseResultCode("Carrier: - Locked Carrier: AT&amp;T - Sold By: Best Buy - Network: X");
  EXPECT_EQ(parsed.fields.carrier, "AT&T");
  EXPECT_EQ(
      parsed.pairs,
      (Pairs{
          {"Carrier", ""}, {"Locked Carrier", "AT&T"}, {"Sold By", "Best Buy"}, {"Network", "X"}}));
}

TEST(ResultCodeTest, SegmentWithoutKeyContinuesThePreviousValue) {
  ParsedResultCode parsed = ParseResultCode(
      "Model: iPhone 13 - Pro Max - IMEI Number: 356789012345671 - Note: refurb - "
      "do not resell");
  EXPECT_EQ(parsed.fields.model, "iPhone 13 - Pro Max");
  EXPECT_EQ(parsed.fields.imei, "356789012345671");
  EXPECT_EQ(parsed.pairs, (Pairs{{"Model", "iPhone 13 - Pro Max"},
                                 {"IMEI Number", "356789012345671"},
                                 {"Note", "refurb - do not resell"}}));
}

TEST(ResultCodeTest, ContinuationAfterLineBreakJoinsWithSpace) {
  ParsedResultCode parsed = ParseResultCode("Model: iPhone 8<br>Plus 64GB<br>Carrier: Sprint");
  EXPECT_EQ(parsed.fields.model, "iPhone 8 Plus 64GB");
  EXPECT_EQ(parsed.fields.carrier, "Sprint");
}

TEST(ResultCodeTest, ValuesMayContainColons) {
  ParsedResultCode parsed = ParseResultCode(
      "Estimated Purchase Date: 2021-10-01 10:30:00 - Info: see http://example.invalid/a:b - "
      "Model: iPhone 12 - 10:45 build");
  EXPECT_EQ(parsed.fields.purchase_date, "2021-10-01 10:30:00");
  EXPECT_EQ(parsed.fields.model, "iPhone 12 - 10:45 build");
  EXPECT_EQ(parsed.pairs[1],
            (std::pair<std::string, std::string>{"Info", "see http://example.invalid/a:b"}));
}

TEST(ResultCodeTest, KnownKeyWithoutSpaceAfterColon) {
  ParsedResultCode parsed = ParseResultCode("IMEI:356789012345671 - Carrier:Verizon");
  EXPECT_EQ(parsed.fields.imei, "356789012345671");
  EXPECT_EQ(parsed.fields.carrier, "Verizon");
}

TEST(ResultCodeTest, DecodesHtmlEntities) {
  ParsedResultCode parsed = ParseResultCode(
      "Carrier: AT&amp;T &lt;US&gt; - Model: &quot;iPhone&quot; &#39;X&apos; - Note: "
      "caf&#233;&nbsp;&#x2713; &#X41; - Other: &bogus; &amp &#; &#xZZ;");
  EXPECT_EQ(parsed.fields.carrier, "AT&T <US>");
  EXPECT_EQ(parsed.fields.model, "\"iPhone\" 'X'");
  EXPECT_EQ(parsed.pairs[2].second, "caf\xC3\xA9 \xE2\x9C\x93 A");
  EXPECT_EQ(parsed.pairs[3].second, "&bogus; &amp &#; &#xZZ;");  // not entities: kept as text
}

TEST(ResultCodeTest, EscapedTagsStayText) {
  ParsedResultCode parsed = ParseResultCode("Model: a &lt;br&gt; b - Note: 1 < 2 > 0");
  EXPECT_EQ(parsed.fields.model, "a <br> b");
  EXPECT_EQ(parsed.pairs[1].second, "1 < 2 > 0");
}

TEST(ResultCodeTest, BulletListWithLeadingDashes) {
  ParsedResultCode parsed = ParseResultCode("- Model: iPhone X -\n- FMI: OFF\n");
  EXPECT_EQ(parsed.pairs, (Pairs{{"Model", "iPhone X"}, {"FMI", "OFF"}}));
}

TEST(ResultCodeTest, EmptyAndKeylessCodesKeepOnlyRaw) {
  for (std::string code : {"", "   ", "No data found for this IMEI", "<br><br>", " - - "}) {
    ParsedResultCode parsed = ParseResultCode(code);
    EXPECT_EQ(parsed.raw, code);
    EXPECT_TRUE(parsed.pairs.empty()) << code;
    EXPECT_EQ(parsed.fields, ResultFields{}) << code;
  }
}

TEST(ResultCodeTest, TextBeforeFirstKeyIsDropped) {
  ParsedResultCode parsed = ParseResultCode("Result OK - Model: iPhone 7");
  EXPECT_EQ(parsed.pairs, (Pairs{{"Model", "iPhone 7"}}));
}

TEST(ResultCodeTest, TrimsWhitespaceButKeepsRaw) {
  const std::string code = "  \t Model:   iPhone   SE \t - \n FMI: ON  \n";
  ParsedResultCode parsed = ParseResultCode(code);
  EXPECT_EQ(parsed.raw, code);
  EXPECT_EQ(parsed.pairs, (Pairs{{"Model", "iPhone SE"}, {"FMI", "ON"}}));
}

TEST(ResultCodeTest, ReplacesInvalidUtf8AndControlCharacters) {
  const std::string code = std::string("Model: i\xFFPhone\x01\x7F X - Carrier: \xC3\x28 - Note: ") +
                           "\xED\xA0\x80 \xC0\xAF \xF0\x9F\x98\x80" + std::string(1, '\0') + "end";
  ParsedResultCode parsed = ParseResultCode(code);
  EXPECT_EQ(parsed.raw, code);
  EXPECT_EQ(parsed.fields.model, "i\xEF\xBF\xBDPhone X");
  EXPECT_EQ(parsed.fields.carrier, "\xEF\xBF\xBD(");
  EXPECT_EQ(parsed.pairs[2].second,
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD \xF0\x9F\x98\x80 end");
}

TEST(ResultCodeTest, LongTextBeforeColonIsNotAKey) {
  ParsedResultCode parsed = ParseResultCode(
      "Model: X - this is a long sentence that goes on and on and on and on: really");
  EXPECT_EQ(parsed.pairs.size(), 1u);
  EXPECT_EQ(parsed.fields.model,
            "X - this is a long sentence that goes on and on and on and on: really");
}

TEST(ResultCodeTest, ColumnsAreNamedForStorageAndJson) {
  std::vector<std::string_view> names;
  ResultFields fields;
  for (const ResultFieldColumn& column : ResultFieldColumns()) {
    names.push_back(column.name);
    fields.*column.member = column.name;  // distinct members: each keeps its own name
  }
  EXPECT_EQ(names, (std::vector<std::string_view>{"model", "imei", "imei2", "serial", "meid",
                                                  "carrier", "simlock", "fmi", "gsma_status",
                                                  "purchase_date", "applecare"}));
  EXPECT_EQ(fields.model, "model");
  EXPECT_EQ(fields.gsma_status, "gsma_status");
  EXPECT_EQ(fields.applecare, "applecare");
  for (const ResultFieldColumn& column : ResultFieldColumns()) {
    EXPECT_EQ(fields.*column.member, column.name);
  }
}

}  // namespace
}  // namespace imeiflow
