// SimServer with --protocol dhru over real HTTP on 127.0.0.1: actions, the
// answer variants, fields, bulk, balance and the ledger.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/dhru_parameters.h"
#include "sim/manual_clock_for_test.h"
#include "sim/server.h"

namespace imeiflow::sim {
namespace {

using Json = nlohmann::json;

constexpr const char* kImei = "356938035643809";
constexpr const char* kImei2 = "490154203237518";

std::string Encoded(const Json& j) { return Base64Encode(j.dump()); }

class DhruServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_path_ = (std::filesystem::temp_directory_path() /
                    ("dhru_server_test_" + std::to_string(getpid()) + ".csv"))
                       .string();
    std::filesystem::remove(ledger_path_);
    options_.ledger_file = ledger_path_;
    options_.protocol = Protocol::kDhru;
  }
  void TearDown() override {
    client_.reset();
    if (server_) server_->Stop();
    std::filesystem::remove(ledger_path_);
  }
  void Start() {
    auto created = SimServer::Create(options_, &clock_);
    ASSERT_TRUE(created.ok()) << created.status().message();
    server_ = std::move(*created);
    ASSERT_TRUE(server_->Start().ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
  }
  httplib::Result Call(const std::string& action, const std::string& parameters = "",
                       const std::string& key = "DEMO-0000-0000-0000-0000") {
    return client_->Post(kDhruApiPath, httplib::Params{{"username", "demo"},
                                                       {"apiaccesskey", key},
                                                       {"action", action},
                                                       {"requestformat", "JSON"},
                                                       {"parameters", parameters}});
  }
  Json Body(const httplib::Result& r, int status = 200) {
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, status) << r->body;
    return Json::parse(r->body);
  }
  std::string ErrorOf(const httplib::Result& r, int status = 200) {
    Json j = Body(r, status);
    return j["ERROR"][0]["MESSAGE"].get<std::string>();
  }
  Json Place(const std::string& imei, const std::string& service = "1739") {
    return Body(Call("placeimeiorder", Encoded({{"ID", service}, {"IMEI", imei}})));
  }
  Json Stats() { return Json::parse(client_->Get("/sim/stats")->body); }
  size_t LedgerLines() {
    std::ifstream in(ledger_path_);
    size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n == 0 ? 0 : n - 1;  // minus the header
  }

  SimOptions options_;
  ManualClock clock_;
  std::string ledger_path_;
  std::unique_ptr<SimServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(DhruServerTest, PlacesAndReportsAnOrderThroughItsLife) {
  options_.reject_ratio = 0;
  Start();
  Json placed = Place(kImei);
  ASSERT_EQ(placed["SUCCESS"][0]["MESSAGE"], "Order received") << placed.dump();
  std::string ref = placed["SUCCESS"][0]["REFERENCEID"].get<std::string>();
  EXPECT_EQ(ref, "1000001");
  EXPECT_EQ(LedgerLines(), 1u);
  Json status = Body(Call("getimeiorder", Encoded({{"ID", ref}})));
  EXPECT_EQ(status["SUCCESS"][0]["STATUS"], 0);
  EXPECT_EQ(status["SUCCESS"][0]["IMEI"], kImei);
  clock_.Advance(std::chrono::milliseconds(5000));
  status = Body(Call("getimeiorder", Encoded({{"ID", ref}})));
  EXPECT_EQ(status["SUCCESS"][0]["STATUS"], 4);
  EXPECT_NE(status["SUCCESS"][0]["CODE"].get<std::string>().find("Model:"), std::string::npos);
  Json unknown = Body(Call("getimeiorder", Encoded({{"ID", "42"}})));
  EXPECT_EQ(unknown["SUCCESS"][0]["STATUS"], 0);
  EXPECT_EQ(unknown["SUCCESS"][0]["CODE"], "");
}

TEST_F(DhruServerTest, XmlParametersOnlyWhenAccepted) {
  options_.dhru.parameters = DhruParameters::kBase64;
  Start();
  std::string xml = std::string("<PARAMETERS><ID>1739</ID><IMEI>") + kImei + "</IMEI></PARAMETERS>";
  EXPECT_EQ(ErrorOf(Call("placeimeiorder", xml)), "Parameters must be valid base64-encoded JSON");
  EXPECT_EQ(LedgerLines(), 0u);
}

TEST_F(DhruServerTest, XmlParametersPlaceWithAnyEncoding) {
  Start();
  std::string xml = std::string("<PARAMETERS><ID>1739</ID><IMEI>") + kImei + "</IMEI></PARAMETERS>";
  Json placed = Body(Call("placeimeiorder", xml));
  EXPECT_EQ(placed["SUCCESS"][0]["REFERENCEID"], "1000001");
  EXPECT_EQ(LedgerLines(), 1u);
}

TEST_F(DhruServerTest, ErrorsAsFourHundredsAndBadCredentials) {
  options_.dhru.errors_4xx = true;
  Start();
  EXPECT_EQ(ErrorOf(Call("accountinfo", "", "wrong"), 401), "Authentication Failed");
  EXPECT_EQ(ErrorOf(Call("nosuchaction"), 400), "Invalid Action");
  EXPECT_EQ(Stats()["auth_failures"], 1);
}

TEST_F(DhruServerTest, DuplicatesAreRefusedNotCharged) {
  Start();
  Place(kImei);
  EXPECT_EQ(ErrorOf(Call("placeimeiorder", Encoded({{"ID", "1739"}, {"IMEI", kImei}}))),
            "IMEI already exists");
  EXPECT_EQ(LedgerLines(), 1u);
  EXPECT_EQ(Stats()["charged_cents"], 8);
}

TEST_F(DhruServerTest, BalanceRunsOutAndCreditRestoresIt) {
  options_.balance = Money::FromCents(10);  // one 0.08 order
  Start();
  Json info = Body(Call("accountinfo"));
  EXPECT_EQ(info["SUCCESS"][0]["AccoutInfo"]["credit"], "$0.10");
  EXPECT_DOUBLE_EQ(info["SUCCESS"][0]["AccoutInfo"]["creditraw"].get<double>(), 0.10);
  Place(kImei);
  EXPECT_EQ(ErrorOf(Call("placeimeiorder", Encoded({{"ID", "1739"}, {"IMEI", kImei2}}))),
            "Not enough credits");
  EXPECT_EQ(LedgerLines(), 1u);
  EXPECT_EQ(Stats()["balance_cents"], 2);
  auto credited = client_->Post("/sim/credit", httplib::Params{{"amount", "1.00"}});
  ASSERT_TRUE(credited);
  EXPECT_EQ(credited->status, 200);
  EXPECT_EQ(Place(kImei2)["SUCCESS"][0]["REFERENCEID"], "1000002");
  EXPECT_EQ(Stats()["balance_cents"], 94);
  EXPECT_EQ(LedgerLines(), 2u);
}

TEST_F(DhruServerTest, RejectionRefundsTheBalance) {
  options_.balance = Money::FromCents(100);
  options_.reject_ratio = 1;
  Start();
  Place(kImei);
  EXPECT_EQ(Stats()["balance_cents"], 92);
  clock_.Advance(std::chrono::milliseconds(5000));
  EXPECT_EQ(Stats()["balance_cents"], 100);
  Json status = Body(Call("getimeiorder", Encoded({{"ID", "1000001"}})));
  EXPECT_EQ(status["SUCCESS"][0]["STATUS"], 3);
}

TEST_F(DhruServerTest, ServiceWithModelAndNetworkChecksTheValues) {
  Start();
  EXPECT_EQ(ErrorOf(Call("placeimeiorder", Encoded({{"ID", "4101"}, {"IMEI", kImei}}))),
            "Missing required field: MODELID");
  EXPECT_EQ(ErrorOf(Call("placeimeiorder",
                         Encoded({{"ID", "4101"}, {"IMEI", kImei}, {"MODELID", "5"},
                                  {"PROVIDERID", "99"}}))),
            "Invalid value for PROVIDERID: 99");
  EXPECT_EQ(LedgerLines(), 0u);
  Json placed = Body(Call("placeimeiorder", Encoded({{"ID", "4101"}, {"IMEI", kImei},
                                                     {"MODELID", 31}, {"PROVIDERID", "21"}})));
  EXPECT_EQ(placed["SUCCESS"][0]["MESSAGE"], "Order received") << placed.dump();
  EXPECT_EQ(LedgerLines(), 1u);
}

TEST_F(DhruServerTest, CustomFieldsAreChecked) {
  Start();
  auto with = [&](const Json& custom) {
    return Call("placeimeiorder",
                Encoded({{"ID", "4201"}, {"IMEI", kImei}, {"customfield", Encoded(custom)}}));
  };
  EXPECT_EQ(ErrorOf(with({{"Phone Model", "iPhone 13"}})), "Missing required field: Serial Number");
  EXPECT_EQ(ErrorOf(with({{"Phone Model", "Nokia"}, {"Serial Number", "F2LXK0ABCD12"}})),
            "Invalid value for Phone Model: Nokia");
  EXPECT_EQ(ErrorOf(with({{"Phone Model", "iPhone 13"}, {"Serial Number", "bad"}})),
            "Invalid value for Serial Number: bad");
  Json ok = Body(with({{"Phone Model", "iPhone 13"}, {"Serial Number", "F2LXK0ABCD12"}}));
  EXPECT_EQ(ok["SUCCESS"][0]["MESSAGE"], "Order received") << ok.dump();
  EXPECT_EQ(LedgerLines(), 1u);
}

TEST_F(DhruServerTest, ServiceListShowsGroupsFieldsAndNumericIds) {
  options_.dhru.numeric_ids = true;
  options_.dhru.list_arrays = true;
  Start();
  Json list = Body(Call("imeiservicelist"))["SUCCESS"][0]["LIST"];
  ASSERT_TRUE(list.is_array());
  bool seen = false;
  for (const Json& group : list) {
    for (const Json& service : group["SERVICES"]) {
      if (service["SERVICEID"] != 4101) continue;
      seen = true;
      EXPECT_EQ(service["Requires.Mobile"], "Required");
      EXPECT_EQ(service["Requires.Network"], "Required");
      EXPECT_DOUBLE_EQ(service["CREDIT"].get<double>(), 15.0);
    }
  }
  EXPECT_TRUE(seen);
  Json models = Body(Call("modellist"))["SUCCESS"][0]["LIST"];
  EXPECT_EQ(models[0]["MODELS"][0]["ID"], 5);
}

TEST_F(DhruServerTest, BulkRowsAndKeyedShapesAndOff) {
  Start();
  Json rows = Body(Call("placeimeiorderbulk",
                        Encoded({{"a", {{"ID", "1739"}, {"IMEI", kImei}}},
                                 {"b", {{"ID", "1739"}, {"IMEI", kImei}}}})));
  EXPECT_EQ(rows["a"]["SUCCESS"][0]["REFERENCEID"], "1000001") << rows.dump();
  EXPECT_EQ(rows["b"]["ERROR"][0]["MESSAGE"], "IMEI already exists");
  Json got = Body(Call("getimeiorderbulk",
                       Encoded({{"x", {{"ID", "1000001"}}}, {"y", {{"ID", "5"}}}})));
  EXPECT_EQ(got["x"]["SUCCESS"][0]["STATUS"], 0);
  EXPECT_EQ(got["y"]["SUCCESS"][0]["STATUS"], 0);
  EXPECT_EQ(LedgerLines(), 1u);
}

TEST_F(DhruServerTest, BulkKeyedShapeAndStringStatus) {
  options_.dhru.bulk = DhruBulk::kKeyed;
  options_.dhru.numeric_status = false;
  Start();
  Json keyed = Body(Call("placeimeiorderbulk",
                         Encoded({{"r1", {{"ID", "1739"}, {"IMEI", kImei}}},
                                  {"r2", {{"ID", "9999"}, {"IMEI", kImei2}}}})));
  EXPECT_EQ(keyed["SUCCESS"]["r1"]["status"], "success") << keyed.dump();
  EXPECT_EQ(keyed["SUCCESS"]["r1"]["referenceid"], "1000001");
  EXPECT_EQ(keyed["SUCCESS"]["r2"]["status"], "error");
  EXPECT_EQ(keyed["SUCCESS"]["r2"]["message"], "Invalid service ID");
  Json status = Body(Call("getimeiorder", Encoded({{"ID", "1000001"}})));
  EXPECT_EQ(status["SUCCESS"][0]["STATUS"], "0");
}

TEST_F(DhruServerTest, BulkOffAnswersInvalidActionAndDropLeavesRowsOut) {
  options_.dhru.bulk = DhruBulk::kOff;
  Start();
  EXPECT_EQ(ErrorOf(Call("placeimeiorderbulk", Encoded({{"a", {{"ID", "1739"}, {"IMEI", kImei}}}}))),
            "Invalid Action");
  EXPECT_EQ(LedgerLines(), 0u);
  server_->Stop();
  options_.dhru.bulk = DhruBulk::kRows;
  options_.dhru.bulk_drop = 1;
  Start();
  Json dropped = Body(Call("placeimeiorderbulk",
                           Encoded({{"a", {{"ID", "1739"}, {"IMEI", kImei}}}})));
  EXPECT_FALSE(dropped.contains("a")) << dropped.dump();
  EXPECT_EQ(LedgerLines(), 0u);
}

TEST_F(DhruServerTest, HtmlFaultCommitsSomePlacementsAndTheLedgerSaysSo) {
  options_.faults.html = 1;
  Start();
  int committed = 0;
  for (const char* imei : {kImei, kImei2}) {
    auto r = Call("placeimeiorder", Encoded({{"ID", "1739"}, {"IMEI", imei}}));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_NE(r->body.find("<html>"), std::string::npos);
  }
  Json stats = Stats();
  committed = stats["faults"]["html_committed"].get<int>();
  EXPECT_EQ(committed + stats["faults"]["html_uncommitted"].get<int>(), 2);
  EXPECT_EQ(LedgerLines(), static_cast<size_t>(committed));
}

TEST_F(DhruServerTest, AccountInfoKeySpellingAndGet) {
  options_.dhru.account_key = "AccountInfo";
  Start();
  auto r = client_->Get(std::string(kDhruApiPath) +
                        "?username=demo&apiaccesskey=DEMO-0000-0000-0000-0000&action=accountinfo");
  Json info = Body(r);
  EXPECT_TRUE(info["SUCCESS"][0].contains("AccountInfo")) << info.dump();
  EXPECT_EQ(r->get_header_value("X-Powered-By"), "DHRU-FUSION");
}

}  // namespace
}  // namespace imeiflow::sim
