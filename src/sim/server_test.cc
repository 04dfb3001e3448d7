// SimServer over real HTTP on 127.0.0.1: every action, both body encodings,
// credentials, batch and duplicate modes, lifecycle, ledger, and each fault.
#include "sim/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>
#include <thread>

#include "sim/imei_check.h"
#include "sim/ledger.h"
#include "sim/manual_clock_for_test.h"
#include "sim/result_codes.h"

namespace imeiflow::sim {
namespace {

using std::chrono::milliseconds;

constexpr const char* kUser = "demo";
constexpr const char* kKey = "DEMO-0000-0000-0000-0000";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

class SimServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_path_ = (std::filesystem::temp_directory_path() /
                    ("sim_server_test_" + std::to_string(getpid()) + ".csv"))
                       .string();
    std::filesystem::remove(ledger_path_);
    options_.ledger_file = ledger_path_;
  }

  void TearDown() override {
    client_.reset();
    if (server_) server_->Stop();
    std::filesystem::remove(ledger_path_);
  }

  void Start(const SimClock* clock = nullptr) {
    options_.host = "127.0.0.1";
    options_.port = 0;
    auto created = SimServer::Create(options_, clock);
    ASSERT_TRUE(created.ok()) << created.status().message();
    server_ = std::move(*created);
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_GT(server_->port(), 0);
    client_ = NewClient();
  }

  std::unique_ptr<httplib::Client> NewClient() {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client->set_read_timeout(10, 0);
    return client;
  }

  // Posts `fields` (plus valid credentials unless given) as a urlencoded form.
  httplib::Result Call(httplib::Params fields, httplib::Client* client = nullptr) {
    fields.emplace("userId", kUser);
    fields.emplace("apiKey", kKey);
    return (client ? client : client_.get())->Post(kApiPath, fields);
  }

  // The same as a multipart/form-data body, as the vendor's PHP sample sends it.
  httplib::Result CallMultipart(httplib::Params fields) {
    fields.emplace("userId", kUser);
    fields.emplace("apiKey", kKey);
    httplib::MultipartFormDataItems items;
    for (const auto& [k, v] : fields) items.push_back({k, v, "", ""});
    return client_->Post(kApiPath, items);
  }

  httplib::Result PlaceOrder(const std::string& imeis, const std::string& service = "1739") {
    return Call({{"action", "placeorder"}, {"imei", imeis}, {"networkId", service}});
  }

  // The XML root of a 200 answer.
  pugi::xml_node Xml(const httplib::Result& r) {
    EXPECT_TRUE(r) << httplib::to_string(r.error());
    if (!r) return {};
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->get_header_value("Content-Type").rfind("application/xml", 0), 0u);
    docs_.emplace_back(std::make_unique<pugi::xml_document>());
    pugi::xml_parse_result parsed = docs_.back()->load_string(r->body.c_str());
    EXPECT_TRUE(parsed) << parsed.description() << ": " << r->body;
    return docs_.back()->document_element();
  }

  std::string ErrorOf(const httplib::Result& r) {
    pugi::xml_node root = Xml(r);
    EXPECT_STREQ(root.name(), "error");
    return root.text().get();
  }

  nlohmann::json Stats() {
    auto r = client_->Get("/sim/stats");
    EXPECT_TRUE(r);
    return nlohmann::json::parse(r ? r->body : "{}");
  }

  std::vector<std::string> LedgerLines() { return Lines(ReadAll(ledger_path_)); }

  SimOptions options_;
  std::string ledger_path_;
  std::unique_ptr<SimServer> server_;
  std::unique_ptr<httplib::Client> client_;
  std::vector<std::unique_ptr<pugi::xml_document>> docs_;
};

TEST_F(SimServerTest, ImeiServicesListsTheCatalogueInBothEncodings) {
  Start();
  const Catalogue builtin = Catalogue::BuiltIn();
  for (bool multipart : {false, true}) {
    auto r = multipart ? CallMultipart({{"action", "imeiservices"}})
                       : Call({{"action", "imeiservices"}});
    pugi::xml_node root = Xml(r);
    EXPECT_STREQ(root.name(), "Packages");
    size_t count = 0;
    for (pugi::xml_node p : root.children("Package")) {
      const Service& s = builtin.services()[count++];
      EXPECT_EQ(p.child("PackageId").text().get(), s.id);
      EXPECT_EQ(p.child("PackageTitle").text().get(), s.title);
      EXPECT_EQ(p.child("PackagePrice").text().get(), s.price.ToDecimal());
      EXPECT_EQ(p.child("Category").text().get(), s.category);
      EXPECT_EQ(p.child("TimeTaken").text().get(), s.delivery);
      EXPECT_EQ(p.child("MustRead").text().get(), s.must_read);
    }
    EXPECT_EQ(count, builtin.services().size());
    EXPECT_EQ(r->body.rfind(R"(<?xml version="1.0" encoding="utf-8"?>)", 0), 0u);
  }
}

TEST_F(SimServerTest, FileAndServerServicesAreEmptyPackages) {
  Start();
  for (const char* action : {"fileservices", "serverservices"}) {
    pugi::xml_node root = Xml(Call({{"action", action}}));
    EXPECT_STREQ(root.name(), "Packages");
    EXPECT_TRUE(root.child("Package").empty());
  }
}

TEST_F(SimServerTest, BadCredentialsAreErrorsWithHttp200AndChangeNothing) {
  Start();
  httplib::Params bad_user{{"action", "placeorder"},
                           {"imei", NthImei(1)},
                           {"networkId", "1739"},
                           {"userId", "mallory"},
                           {"apiKey", kKey}};
  EXPECT_EQ(ErrorOf(client_->Post(kApiPath, bad_user)), "Invalid User!");
  httplib::Params bad_key{{"action", "imeiservices"}, {"userId", kUser}, {"apiKey", "WRONG"}};
  EXPECT_EQ(ErrorOf(client_->Post(kApiPath, bad_key)), "Invalid API Key!");
  httplib::Params no_key{
      {"action", "placeorder"}, {"imei", NthImei(1)}, {"networkId", "1739"}, {"userId", kUser}};
  EXPECT_EQ(ErrorOf(client_->Post(kApiPath, no_key)), "Invalid API Key!");
  EXPECT_EQ(server_->orders().size(), 0);
  EXPECT_EQ(Stats()["auth_failures"], 3);
}

TEST_F(SimServerTest, PlaceOrderThenGetImeisInBothEncodings) {
  Start();
  pugi::xml_node placed =
      Xml(CallMultipart({{"action", "placeorder"}, {"imei", NthImei(1)}, {"networkId", "1739"}}));
  ASSERT_STREQ(placed.name(), "result");
  std::string id = placed.child("imeis").child("id").text().get();
  EXPECT_EQ(id, "1000001");
  EXPECT_EQ(placed.child("imeis").child("imei").text().get(), NthImei(1));
  EXPECT_STREQ(placed.child("imeis").child("status").text().get(), "Pending");
  EXPECT_TRUE(placed.child("imeiduplicates").empty());

  pugi::xml_node second = Xml(PlaceOrder(NthImei(2), "3201"));
  EXPECT_STREQ(second.child("imeis").child("id").text().get(), "1000002");

  for (bool multipart : {false, true}) {
    httplib::Params q{{"action", "getimeis"}, {"orderIds", "1000002, 1000001,999,abc"}};
    pugi::xml_node got = Xml(multipart ? CallMultipart(q) : Call(q));
    std::vector<pugi::xml_node> orders;
    for (pugi::xml_node o : got.children("imeis")) orders.push_back(o);
    ASSERT_EQ(orders.size(), 2u);
    EXPECT_STREQ(orders[0].child("id").text().get(), "1000002");
    EXPECT_STREQ(orders[0].child("package").text().get(), "EE UK Unlock Code (All Models)");
    EXPECT_EQ(orders[1].child("imei").text().get(), NthImei(1));
    EXPECT_STREQ(orders[1].child("status").text().get(), "Pending");
    EXPECT_FALSE(orders[1].child("code").empty());
    std::string at = orders[1].child("requestedat").text().get();
    EXPECT_EQ(at.size(), 19u) << at;
    EXPECT_EQ(at[10], ' ');
  }
}

TEST_F(SimServerTest, MultiImeiCallOrdersAllAndListsDuplicates) {
  Start();
  Xml(PlaceOrder(NthImei(1)));
  pugi::xml_node root =
      Xml(PlaceOrder(NthImei(1) + "," + NthImei(2) + ", " + NthImei(3) + "," + NthImei(2)));
  std::vector<std::string> ordered;
  for (pugi::xml_node o : root.children("imeis")) ordered.push_back(o.child("imei").text().get());
  EXPECT_EQ(ordered, (std::vector<std::string>{NthImei(2), NthImei(3)}));
  EXPECT_EQ(root.child("imeiduplicates").child("imei").text().get(), NthImei(1) + "," + NthImei(2));
  EXPECT_EQ(Stats()["duplicates_refused"], 2);
  EXPECT_EQ(server_->orders().size(), 3);
}

TEST_F(SimServerTest, SingleDuplicateIsRefusedAndNotCharged) {
  Start();
  Xml(PlaceOrder(NthImei(1)));
  EXPECT_EQ(ErrorOf(PlaceOrder(NthImei(1))), "IMEI already exists!");
  EXPECT_EQ(server_->orders().size(), 1);
  EXPECT_EQ(LedgerLines().size(), 2u);  // header + the first order
}

TEST_F(SimServerTest, ChargeModeCreatesAndChargesRepeats) {
  options_.duplicates = DuplicateMode::kCharge;
  Start();
  Xml(PlaceOrder(NthImei(1)));
  pugi::xml_node again = Xml(PlaceOrder(NthImei(1)));
  EXPECT_STREQ(again.child("imeis").child("id").text().get(), "1000002");
  std::vector<std::string> lines = LedgerLines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[1].find(",1000001,1739," + NthImei(1) + ",0.08,"), std::string::npos);
  EXPECT_NE(lines[2].find(",1000002,1739," + NthImei(1) + ",0.08,"), std::string::npos);
}

TEST_F(SimServerTest, BatchLastOrdersOnlyTheLastAndMentionsNoOther) {
  options_.batch = BatchMode::kLast;
  Start();
  auto r = PlaceOrder(NthImei(1) + "," + NthImei(2) + "," + NthImei(3));
  pugi::xml_node root = Xml(r);
  std::vector<std::string> ordered;
  for (pugi::xml_node o : root.children("imeis")) ordered.push_back(o.child("imei").text().get());
  EXPECT_EQ(ordered, std::vector<std::string>{NthImei(3)});
  EXPECT_EQ(r->body.find(NthImei(1)), std::string::npos);
  EXPECT_EQ(r->body.find(NthImei(2)), std::string::npos);
  EXPECT_EQ(server_->orders().size(), 1);
  EXPECT_EQ(Stats()["batch_dropped"], 2);
  // The last IMEI again, in a batch: the call behaves as a single-IMEI call.
  EXPECT_EQ(ErrorOf(PlaceOrder(NthImei(4) + "," + NthImei(3))), "IMEI already exists!");
}

TEST_F(SimServerTest, InvalidImeis) {
  Start();
  EXPECT_EQ(ErrorOf(PlaceOrder("356938035643808")), "Invalid IMEI Number!");
  EXPECT_EQ(ErrorOf(PlaceOrder("12345")), "Invalid IMEI Number!");
  // In a multi-IMEI call an invalid IMEI is left out of the answer altogether.
  auto r = PlaceOrder(NthImei(1) + ",356938035643808," + NthImei(2));
  pugi::xml_node root = Xml(r);
  int count = 0;
  for (pugi::xml_node o : root.children("imeis")) {
    ++count;
    EXPECT_NE(o.child("imei").text().get(), std::string("356938035643808"));
  }
  EXPECT_EQ(count, 2);
  EXPECT_EQ(r->body.find("356938035643808"), std::string::npos);
  EXPECT_EQ(Stats()["invalid_imeis"], 3);
}

TEST_F(SimServerTest, MissingAndUnknownParametersAreErrors) {
  Start();
  EXPECT_EQ(ErrorOf(Call({{"action", "placeorder"}, {"networkId", "1739"}})), "IMEI is required!");
  EXPECT_EQ(ErrorOf(Call({{"action", "placeorder"}, {"imei", " , "}, {"networkId", "1739"}})),
            "IMEI is required!");
  EXPECT_EQ(ErrorOf(Call({{"action", "placeorder"}, {"imei", NthImei(1)}})),
            "Network ID is required!");
  EXPECT_EQ(ErrorOf(PlaceOrder(NthImei(1), "424242")), "Invalid Network ID!");
  EXPECT_EQ(ErrorOf(Call({{"action", "getimeis"}})), "Order IDs are required!");
  EXPECT_EQ(ErrorOf(Call({{"action", "launchrockets"}})), "Invalid Action!");
  EXPECT_EQ(ErrorOf(Call({})), "Invalid Action!");
  EXPECT_EQ(server_->orders().size(), 0);
}

TEST_F(SimServerTest, LifecycleFollowsTheInjectedClock) {
  ManualClock clock;
  options_.reject_ratio = 0;
  options_.process_after_ms = 1000;
  options_.complete_after_ms = 3000;
  Start(&clock);
  Xml(PlaceOrder(NthImei(1)));
  using StatusAndCode = std::pair<std::string, std::string>;
  auto status = [&] {
    pugi::xml_node o = Xml(Call({{"action", "getimeis"}, {"orderIds", "1000001"}})).child("imeis");
    return StatusAndCode(o.child("status").text().get(), o.child("code").text().get());
  };
  EXPECT_EQ(status(), StatusAndCode("Pending", ""));
  clock.Advance(milliseconds(1000));
  EXPECT_EQ(status(), StatusAndCode("In Process", ""));
  clock.Advance(milliseconds(2000));
  EXPECT_EQ(status().first, "Completed");
  EXPECT_EQ(status().second, CompletedCode(ServiceKind::kAppleCheck, NthImei(1), options_.seed));
}

TEST_F(SimServerTest, NumericStatusAndRejections) {
  ManualClock clock;
  options_.reject_ratio = 1;
  options_.numeric_status = true;
  Start(&clock);
  Xml(PlaceOrder(NthImei(1)));
  auto status = [&] {
    return std::string(Xml(Call({{"action", "getimeis"}, {"orderIds", "1000001"}}))
                           .child("imeis")
                           .child("status")
                           .text()
                           .get());
  };
  EXPECT_EQ(status(), "1");
  clock.Advance(milliseconds(2000));
  EXPECT_EQ(status(), "4");
  clock.Advance(milliseconds(3000));
  EXPECT_EQ(status(), "3");
  pugi::xml_node o = Xml(Call({{"action", "getimeis"}, {"orderIds", "1000001"}})).child("imeis");
  EXPECT_EQ(o.child("code").text().get(), RejectionReason(NthImei(1), options_.seed));
}

TEST_F(SimServerTest, StatsCountChargedAndRefundedMoney) {
  ManualClock clock;
  options_.reject_ratio = 0.5;
  options_.process_after_ms = 1000;
  options_.complete_after_ms = 3000;
  Start(&clock);
  for (int i = 1; i <= 20; ++i) Xml(PlaceOrder(NthImei(i)));
  nlohmann::json before = Stats();
  const int64_t price = Catalogue::BuiltIn().Find("1739")->price.cents();
  EXPECT_EQ(before["charged_cents"], 20 * price);
  EXPECT_EQ(before["refunded_cents"], 0);  // nothing shows Rejected yet
  clock.Advance(milliseconds(3000));
  std::string ids;
  for (int64_t id = 1000001; id <= 1000020; ++id)
    ids += (ids.empty() ? "" : ",") + std::to_string(id);
  int64_t rejected = 0;
  pugi::xml_node root = Xml(Call({{"action", "getimeis"}, {"orderIds", ids}}));
  for (pugi::xml_node o : root.children("imeis")) {
    rejected += std::string(o.child("status").text().get()) == "Rejected";
  }
  EXPECT_GT(rejected, 0);
  EXPECT_LT(rejected, 20);
  nlohmann::json after = Stats();
  EXPECT_EQ(after["charged_cents"], 20 * price);
  EXPECT_EQ(after["refunded_cents"], rejected * price);
}

TEST_F(SimServerTest, CodesWithMarkupSurviveXmlEscaping) {
  ManualClock clock;
  options_.reject_ratio = 0;
  Start(&clock);
  // Find an IMEI whose code uses <br> separators and an &amp; entity.
  std::string imei;
  for (uint64_t n = 0; imei.empty(); ++n) {
    std::string code = CompletedCode(ServiceKind::kAppleCheck, NthImei(n), options_.seed);
    if (code.find("<br>") != std::string::npos) imei = NthImei(n);
  }
  Xml(PlaceOrder(imei));
  clock.Advance(milliseconds(5000));
  auto r = Call({{"action", "getimeis"}, {"orderIds", "1000001"}});
  EXPECT_NE(r->body.find("&lt;br&gt;"), std::string::npos);
  std::string code = Xml(r).child("imeis").child("code").text().get();
  EXPECT_EQ(code, CompletedCode(ServiceKind::kAppleCheck, imei, options_.seed));
  EXPECT_NE(code.find("&amp;"), std::string::npos);
}

TEST_F(SimServerTest, ServicesFileReplacesTheCatalogue) {
  std::string path = ledger_path_ + ".services.json";
  std::ofstream(path) << R"([{"id": "55", "category": "C & D", "title": "<Odd> Check",
                             "price": "1.5", "delivery": "Instant", "must_read": ""}])";
  options_.services_file = path;
  Start();
  pugi::xml_node root = Xml(Call({{"action", "imeiservices"}}));
  EXPECT_STREQ(root.child("Package").child("PackageTitle").text().get(), "<Odd> Check");
  EXPECT_STREQ(root.child("Package").child("PackagePrice").text().get(), "1.50");
  EXPECT_TRUE(root.child("Package").next_sibling("Package").empty());
  EXPECT_EQ(ErrorOf(PlaceOrder(NthImei(1))), "Invalid Network ID!");
  Xml(PlaceOrder(NthImei(1), "55"));
  EXPECT_NE(LedgerLines().at(1).find(",55," + NthImei(1) + ",1.50,"), std::string::npos);
  std::filesystem::remove(path);
}

TEST_F(SimServerTest, CreateRejectsBadOptionsAndFiles) {
  SimOptions o;
  o.services_file = "/nonexistent/services.json";
  EXPECT_FALSE(SimServer::Create(o).ok());
  o = SimOptions();
  o.faults.reset = 1.5;
  EXPECT_EQ(SimServer::Create(o).status().code(), StatusCode::kInvalidArgument);
  o = SimOptions();
  o.complete_after_ms = 10;
  EXPECT_EQ(SimServer::Create(o).status().code(), StatusCode::kInvalidArgument);
  o = SimOptions();
  o.ledger_file = "/nonexistent/dir/ledger.csv";
  EXPECT_EQ(SimServer::Create(o).status().code(), StatusCode::kIoError);
}

TEST_F(SimServerTest, LedgerRecordsEveryChargedOrder) {
  Start();
  auto r = PlaceOrder(NthImei(1) + "," + NthImei(2));
  Xml(PlaceOrder(NthImei(3), "3101"));
  std::string call_id = r->get_header_value("X-Sim-Call-Id");
  std::vector<std::string> lines = LedgerLines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], Ledger::Header());
  EXPECT_NE(lines[1].find(",1000001,1739," + NthImei(1) + ",0.08," + call_id + ",ok"),
            std::string::npos)
      << lines[1];
  EXPECT_NE(lines[2].find(",1000002,1739," + NthImei(2) + ",0.08," + call_id + ",ok"),
            std::string::npos);
  EXPECT_NE(lines[3].find(",1000003,3101," + NthImei(3) + ",45.00,"), std::string::npos);
}

TEST_F(SimServerTest, Fault503AppliesNothing) {
  options_.faults.http503 = 1;
  Start();
  auto r = PlaceOrder(NthImei(1));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_FALSE(r->get_header_value("Retry-After").empty());
  EXPECT_EQ(server_->orders().size(), 0);
  EXPECT_EQ(LedgerLines().size(), 1u);
  EXPECT_EQ(Stats()["faults"]["http503"], 1);
  // Other actions are not affected.
  EXPECT_STREQ(Xml(Call({{"action", "imeiservices"}})).name(), "Packages");
}

TEST_F(SimServerTest, FaultOmitLeavesOrderIdsOutOfGetImeisAtRandom) {
  options_.faults.omit = 0.5;
  Start();
  std::string ids;
  for (int i = 1; i <= 40; ++i) {
    Xml(PlaceOrder(NthImei(i)));
    ids += (ids.empty() ? "" : ",") + std::to_string(1000000 + i);
  }
  int answered = 0;
  for (int round = 0; round < 5; ++round) {
    pugi::xml_node got = Xml(Call({{"action", "getimeis"}, {"orderIds", ids}}));
    for (pugi::xml_node o : got.children("imeis")) answered += !o.child("id").empty();
  }
  // 200 ids asked, each left out with probability 0.5.
  EXPECT_GT(answered, 50);
  EXPECT_LT(answered, 150);
  EXPECT_EQ(Stats()["faults"]["omit"], 200 - answered);
  // Unknown ids are not counted as omitted; placeorder is not affected.
  Xml(Call({{"action", "getimeis"}, {"orderIds", "999"}}));
  EXPECT_EQ(Stats()["faults"]["omit"], 200 - answered);
  EXPECT_EQ(server_->orders().size(), 40);
}

TEST_F(SimServerTest, Fault500CommitsAboutHalfTheTimeAndTheLedgerSays) {
  options_.faults.http500 = 1;
  Start();
  constexpr int kCalls = 40;
  for (int i = 0; i < kCalls; ++i) {
    auto r = PlaceOrder(NthImei(i));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 500);
    EXPECT_NE(r->get_header_value("Content-Type").find("text/html"), std::string::npos);
    EXPECT_NE(r->body.find("<html>"), std::string::npos);
  }
  nlohmann::json faults = Stats()["faults"];
  int64_t committed = faults["http500_committed"];
  EXPECT_EQ(committed + faults["http500_uncommitted"].get<int64_t>(), kCalls);
  EXPECT_GT(committed, 5);
  EXPECT_LT(committed, kCalls - 5);
  EXPECT_EQ(server_->orders().size(), committed);
  std::vector<std::string> lines = LedgerLines();
  ASSERT_EQ(static_cast<int64_t>(lines.size()), committed + 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].substr(lines[i].rfind(',') + 1), "error-500");
  }
}

// Sends one placeorder request on a raw socket; returns the bytes answered
// and the last recv result / errno.
struct RawAnswer {
  std::string bytes;
  ssize_t last = 0;
  int error = 0;
};

RawAnswer RawPlaceOrder(int port, const std::string& imei, int timeout_ms) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string body = std::string("userId=") + kUser + "&apiKey=" + kKey +
                     "&action=placeorder&networkId=1739&imei=" + imei;
  std::string request =
      "POST /gsmfusion_api/index.php HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  EXPECT_EQ(send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  RawAnswer answer;
  char buf[4096];
  while (true) {
    answer.last = recv(fd, buf, sizeof(buf), 0);
    if (answer.last <= 0) {
      answer.error = answer.last < 0 ? errno : 0;
      break;
    }
    answer.bytes.append(buf, static_cast<size_t>(answer.last));
  }
  close(fd);
  return answer;
}

TEST_F(SimServerTest, FaultResetCommitsThenResetsBeforeAnyByte) {
  options_.faults.reset = 1;
  Start();
  RawAnswer raw = RawPlaceOrder(server_->port(), NthImei(1), 5000);
  EXPECT_EQ(raw.bytes, "");
  EXPECT_EQ(raw.last, -1);
  EXPECT_EQ(raw.error, ECONNRESET) << strerror(raw.error);
  // An HTTP client sees a connection error, not an answer.
  auto r = PlaceOrder(NthImei(2));
  EXPECT_FALSE(r);
  EXPECT_EQ(server_->orders().size(), 2);
  std::vector<std::string> lines = LedgerLines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].substr(lines[1].rfind(',') + 1), "reset");
  EXPECT_EQ(Stats()["faults"]["reset"], 2);
}

TEST_F(SimServerTest, FaultHangCommitsStaysSilentAndStopsQuickly) {
  options_.faults.hang = 1;
  Start();
  client_->set_read_timeout(0, 300000);
  auto r = PlaceOrder(NthImei(1));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), httplib::Error::Read);
  EXPECT_EQ(server_->orders().size(), 1);
  EXPECT_EQ(LedgerLines().at(1).substr(LedgerLines().at(1).rfind(',') + 1), "hang");
  // A second call left hanging while the server stops: Stop must not wait for it.
  std::thread caller([this] {
    auto client = NewClient();
    RawPlaceOrder(server_->port(), NthImei(2), 20000);
  });
  while (server_->stats().fault_hang.load() < 2) std::this_thread::sleep_for(milliseconds(5));
  client_.reset();
  auto before = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(4));
  caller.join();
}

TEST_F(SimServerTest, FaultPhpXmlPrologOnEveryAnswer) {
  options_.faults.phpxml = 1;
  Start();
  std::vector<httplib::Result> answers;
  answers.push_back(PlaceOrder(NthImei(1)));
  answers.push_back(Call({{"action", "imeiservices"}}));
  answers.push_back(Call({{"action", "getimeis"}, {"orderIds", "1000001"}}));
  for (const httplib::Result& r : answers) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body.rfind(R"(<?phpxml version="1.0" encoding="utf-8"?>)", 0), 0u) << r->body;
  }
  EXPECT_EQ(Stats()["faults"]["phpxml"], 3);
}

TEST_F(SimServerTest, GzipOnlyWhenEnabledAndAccepted) {
  options_.gzip = true;
  Start();
  client_->set_decompress(false);
  httplib::Params q{{"action", "imeiservices"}, {"userId", kUser}, {"apiKey", kKey}};
  auto zipped =
      client_->Post(kApiPath, {{"Accept-Encoding", "gzip, deflate"}},
                    httplib::detail::params_to_query_str(q), "application/x-www-form-urlencoded");
  ASSERT_TRUE(zipped);
  EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
  ASSERT_GE(zipped->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(zipped->body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(zipped->body[1]), 0x8b);
  auto plain = client_->Post(kApiPath, q);  // no Accept-Encoding
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
  // httplib's own decompression turns the gzip answer back into the plain one.
  auto decoder = NewClient();
  auto decoded =
      decoder->Post(kApiPath, {{"Accept-Encoding", "gzip"}},
                    httplib::detail::params_to_query_str(q), "application/x-www-form-urlencoded");
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->body, plain->body);
}

TEST_F(SimServerTest, NoGzipWithoutTheOptionEvenWhenAccepted) {
  Start();
  client_->set_decompress(false);
  httplib::Params q{{"action", "imeiservices"}, {"userId", kUser}, {"apiKey", kKey}};
  auto r =
      client_->Post(kApiPath, {{"Accept-Encoding", "gzip, deflate, br"}},
                    httplib::detail::params_to_query_str(q), "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(r->body.rfind("<?xml", 0), 0u);
}

TEST_F(SimServerTest, ChunkedAnswersWithAndWithoutGzip) {
  options_.chunked = true;
  options_.gzip = true;
  Start();
  httplib::Params q{{"action", "imeiservices"}, {"userId", kUser}, {"apiKey", kKey}};
  auto plain = client_->Post(kApiPath, q);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->get_header_value("Transfer-Encoding"), "chunked");
  EXPECT_EQ(plain->get_header_value("Content-Encoding"), "");
  EXPECT_STREQ(Xml(plain).name(), "Packages");
  auto zipped =
      client_->Post(kApiPath, {{"Accept-Encoding", "gzip"}},
                    httplib::detail::params_to_query_str(q), "application/x-www-form-urlencoded");
  ASSERT_TRUE(zipped);
  EXPECT_EQ(zipped->get_header_value("Transfer-Encoding"), "chunked");
  EXPECT_EQ(zipped->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(zipped->body, plain->body);  // decompressed by the client
}

TEST_F(SimServerTest, MaxConcurrentAnswers429AndAppliesNothing) {
  options_.max_concurrent = 2;
  options_.latency_ms = 1000;  // long enough that all six overlap even on a loaded machine
  Start();
  constexpr int kCallers = 6;
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] {
      auto client = NewClient();
      auto r = Call({{"action", "placeorder"}, {"imei", NthImei(i)}, {"networkId", "1739"}},
                    client.get());
      ASSERT_TRUE(r);
      if (r->status == 429) {
        EXPECT_EQ(r->get_header_value("Retry-After"), "1");
        ++refused;
      } else if (r->status == 200) {
        ++ok;
      }
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(ok + refused, kCallers);
  EXPECT_GE(refused.load(), 1);
  EXPECT_GE(ok.load(), 1);
  EXPECT_EQ(server_->orders().size(), ok.load());
  EXPECT_EQ(Stats()["rejected_429"], refused.load());
}

TEST_F(SimServerTest, LatencyDelaysEveryCall) {
  options_.latency_ms = 150;
  Start();
  auto before = std::chrono::steady_clock::now();
  Xml(Call({{"action", "imeiservices"}}));
  EXPECT_GE(std::chrono::steady_clock::now() - before, milliseconds(150));
}

TEST_F(SimServerTest, JitterAddsARandomDelayUpToItsBound) {
  options_.jitter_ms = 200;
  Start();
  auto longest = std::chrono::steady_clock::duration::zero();
  for (int i = 0; i < 5; ++i) {
    auto before = std::chrono::steady_clock::now();
    Xml(Call({{"action", "imeiservices"}}));
    longest = std::max(longest, std::chrono::steady_clock::now() - before);
  }
  EXPECT_GE(longest, milliseconds(20));  // all five below 20 ms: p = 0.1^5
}

TEST_F(SimServerTest, ThreadsBoundTheCallsServedAtOnce) {
  options_.threads = 1;
  options_.latency_ms = 200;
  Start();
  client_.reset();  // its idle connection would hold the only worker
  auto before = std::chrono::steady_clock::now();
  std::vector<std::thread> callers;
  for (int i = 0; i < 2; ++i) {
    callers.emplace_back([this] {
      auto client = NewClient();
      client->set_keep_alive(false);
      EXPECT_TRUE(Call({{"action", "imeiservices"}}, client.get()));
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_GE(std::chrono::steady_clock::now() - before, milliseconds(400));
}

TEST_F(SimServerTest, HangRunningItsCourseEndsWithTheNormalAnswer) {
  options_.faults.hang = 1;
  options_.faults.hang_ms = 150;
  Start();
  auto before = std::chrono::steady_clock::now();
  pugi::xml_node root = Xml(PlaceOrder(NthImei(1)));
  EXPECT_GE(std::chrono::steady_clock::now() - before, milliseconds(150));
  EXPECT_STREQ(root.child("imeis").child("id").text().get(), "1000001");
}

TEST_F(SimServerTest, StopDoesNotWaitForIdleKeepAliveConnections) {
  Start();
  Xml(Call({{"action", "imeiservices"}}));  // client_ keeps its connection open
  auto before = std::chrono::steady_clock::now();
  server_->Stop();
  // httplib alone would wait out its 5 s keep-alive timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(3));
}

TEST_F(SimServerTest, StartFailsOnAPortInUse) {
  Start();
  SimOptions second;
  second.port = server_->port();
  auto other = SimServer::Create(second);
  ASSERT_TRUE(other.ok());
  Status started = (*other)->Start();
  EXPECT_EQ(started.code(), StatusCode::kUnavailable);
  EXPECT_NE(started.message().find(std::to_string(server_->port())), std::string::npos);
}

TEST_F(SimServerTest, StatsCountCallsByAction) {
  Start();
  Xml(Call({{"action", "imeiservices"}}));
  Xml(PlaceOrder(NthImei(1)));
  Xml(PlaceOrder(NthImei(2)));
  Xml(Call({{"action", "getimeis"}, {"orderIds", "1000001"}}));
  nlohmann::json s = Stats();
  EXPECT_EQ(s["calls"]["total"], 4);
  EXPECT_EQ(s["calls"]["imeiservices"], 1);
  EXPECT_EQ(s["calls"]["placeorder"], 2);
  EXPECT_EQ(s["calls"]["getimeis"], 1);
  EXPECT_EQ(s["orders_created"], 2);
}

}  // namespace
}  // namespace imeiflow::sim
