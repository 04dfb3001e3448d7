// The GSM Fusion client (CurlTransport + gsmfusion::Client) against the real
// imeiflow-sim process on 127.0.0.1, for every action and every fault and
// quirk the simulator can play; the simulator's ledger of charged orders is
// the judge of exactly-once. Also `imeiflow services` and `imeiflow doctor`
// run as real processes.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/imei.h"
#include "process_util.h"
#include "upstream/gsmfusion/client.h"
#include "upstream/http/curl_transport.h"

namespace imeiflow::upstream {
namespace {

using namespace std::chrono_literals;

using integration::ClosedPort;
using integration::kSimKey;
using integration::kSimUser;
using integration::MakeTempDir;
using integration::ProcessRun;
using integration::Sim;

constexpr const char* kUser = kSimUser;
constexpr const char* kKey = kSimKey;
constexpr const char* kService = "1739";

// A fresh Luhn-valid IMEI for every call of the test program.
std::string NextImei() {
  static long long serial = 35000000000000LL + (getpid() % 9000) * 100000LL;
  std::string body = std::to_string(serial++);
  return body + imeiflow::CheckDigit(body);
}

// A client of `sim` with its own transport (and so its own connections).
struct Caller {
  explicit Caller(const std::string& url, std::string key = kKey, std::string user = kUser,
                  std::chrono::milliseconds timeout = 10s)
      : client(gsmfusion::Settings{url, std::move(user), std::move(key), 5s, timeout}, transport,
               clock) {}
  SystemClock clock;
  CurlTransport transport;
  gsmfusion::Client client;
};

PlaceOrderRequest One(const std::string& imei) { return {kService, {imei}, {}}; }

TEST(GsmFusionAgainstSim, ListsServicesWithExactPrices) {
  Sim sim;
  ASSERT_FALSE(sim.url().empty());
  Caller c(sim.url());
  ServicesResult r = c.client.ListServicesBlocking();
  ASSERT_EQ(r.verdict.call_class, CallClass::kApplied) << r.verdict.message;
  ASSERT_FALSE(r.services.empty());
  auto it = std::find_if(r.services.begin(), r.services.end(),
                         [](const Service& s) { return s.id == kService; });
  ASSERT_NE(it, r.services.end());
  ASSERT_TRUE(it->price);
  EXPECT_EQ(it->price->cents(), 8);
  EXPECT_FALSE(it->title.empty());
  EXPECT_TRUE(r.verdict.warnings.empty());
}

TEST(GsmFusionAgainstSim, PlacesOneOrderAndFetchesItsResult) {
  Sim sim({"--process-after-ms", "0", "--complete-after-ms", "0", "--reject-ratio", "0"});
  Caller c(sim.url());
  std::string imei = NextImei();
  PlaceOrderResult placed = c.client.PlaceOrderBlocking(One(imei));
  ASSERT_EQ(placed.verdict.call_class, CallClass::kApplied) << placed.verdict.message;
  ASSERT_EQ(placed.outcomes.size(), 1u);
  EXPECT_EQ(placed.outcomes[0].kind, ImeiOutcomeKind::kOrdered);
  ASSERT_FALSE(placed.outcomes[0].order_id.empty());
  EXPECT_EQ(sim.Charges(imei), 1);

  OrdersResult fetched = c.client.FetchOrdersBlocking({placed.outcomes[0].order_id});
  ASSERT_EQ(fetched.verdict.call_class, CallClass::kApplied) << fetched.verdict.message;
  ASSERT_EQ(fetched.orders.size(), 1u);
  EXPECT_EQ(fetched.orders[0].imei, imei);
  EXPECT_EQ(fetched.orders[0].status, OrderStatus::kCompleted) << fetched.orders[0].status_text;
  EXPECT_NE(fetched.orders[0].code.find("IMEI"), std::string::npos) << fetched.orders[0].code;
}

TEST(GsmFusionAgainstSim, NumericStatusesParse) {
  Sim sim({"--numeric-status"});
  Caller c(sim.url());
  PlaceOrderResult placed = c.client.PlaceOrderBlocking(One(NextImei()));
  ASSERT_EQ(placed.outcomes.at(0).kind, ImeiOutcomeKind::kOrdered);
  OrdersResult fetched = c.client.FetchOrdersBlocking({placed.outcomes[0].order_id});
  ASSERT_EQ(fetched.orders.size(), 1u);
  EXPECT_EQ(fetched.orders[0].status_text, "1");
  EXPECT_EQ(fetched.orders[0].status, OrderStatus::kPending);
}

TEST(GsmFusionAgainstSim, RefusedDuplicateIsDuplicateAndNotCharged) {
  Sim sim;
  Caller c(sim.url());
  std::string imei = NextImei();
  ASSERT_EQ(c.client.PlaceOrderBlocking(One(imei)).outcomes.at(0).kind, ImeiOutcomeKind::kOrdered);
  PlaceOrderResult again = c.client.PlaceOrderBlocking(One(imei));
  EXPECT_EQ(again.verdict.call_class, CallClass::kApplied);
  ASSERT_EQ(again.outcomes.size(), 1u);
  EXPECT_EQ(again.outcomes[0].kind, ImeiOutcomeKind::kDuplicate);
  EXPECT_EQ(sim.Charges(imei), 1);
}

TEST(GsmFusionAgainstSim, InvalidImeiIsRejectedWithTheSuppliersWords) {
  Sim sim;
  Caller c(sim.url());
  PlaceOrderResult r = c.client.PlaceOrderBlocking(One("123456789012345"));
  EXPECT_EQ(r.verdict.call_class, CallClass::kApplied);
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].kind, ImeiOutcomeKind::kRejected);
  EXPECT_EQ(r.outcomes[0].message, "Invalid IMEI Number!");
}

TEST(GsmFusionAgainstSim, HonestBatchOrdersEveryImeiAndListsDuplicates) {
  Sim sim;
  Caller c(sim.url());
  std::string known = NextImei();
  ASSERT_EQ(c.client.PlaceOrderBlocking(One(known)).outcomes.at(0).kind, ImeiOutcomeKind::kOrdered);
  std::vector<std::string> batch = {NextImei(), known, NextImei()};
  PlaceOrderResult r = c.client.PlaceOrderBlocking({kService, batch, {}});
  ASSERT_EQ(r.verdict.call_class, CallClass::kApplied) << r.verdict.message;
  ASSERT_EQ(r.outcomes.size(), 3u);
  EXPECT_EQ(r.outcomes[0].kind, ImeiOutcomeKind::kOrdered);
  EXPECT_EQ(r.outcomes[1].kind, ImeiOutcomeKind::kDuplicate);
  EXPECT_EQ(r.outcomes[2].kind, ImeiOutcomeKind::kOrdered);
  EXPECT_NE(r.outcomes[0].order_id, r.outcomes[2].order_id);
  for (const auto& imei : batch) EXPECT_EQ(sim.Charges(imei), 1) << imei;
}

TEST(GsmFusionAgainstSim, BatchLastReportsNineNotMentioned) {
  Sim sim({"--batch", "last"});
  Caller c(sim.url());
  std::vector<std::string> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(NextImei());
  PlaceOrderResult r = c.client.PlaceOrderBlocking({kService, batch, {}});
  ASSERT_EQ(r.verdict.call_class, CallClass::kApplied) << r.verdict.message;
  ASSERT_EQ(r.outcomes.size(), 10u);
  int not_mentioned = 0;
  for (int i = 0; i < 9; ++i) not_mentioned += r.outcomes[i].kind == ImeiOutcomeKind::kNotMentioned;
  EXPECT_EQ(not_mentioned, 9);
  EXPECT_EQ(r.outcomes[9].kind, ImeiOutcomeKind::kOrdered);
  EXPECT_EQ(sim.Ledger().size(), 1u);
  EXPECT_EQ(sim.Charges(batch[9]), 1);
}

// The exactly-once hazard: the placeorder goes out on a kept-alive connection
// (opened by an earlier call), the supplier commits the order and resets the
// connection before any answer byte. libcurl would resend; the client must
// not, and must call the outcome unknown.
TEST(GsmFusionAgainstSim, ResetOnAReusedConnectionIsUnknownAndNeverResent) {
  Sim sim({"--fault-reset", "1.0"});
  Caller c(sim.url());
  ASSERT_EQ(c.client.ListServicesBlocking().verdict.call_class, CallClass::kApplied);
  ASSERT_EQ(c.transport.connections_opened(), 1);
  std::string imei = NextImei();
  PlaceOrderResult r = c.client.PlaceOrderBlocking(One(imei));
  EXPECT_EQ(r.verdict.call_class, CallClass::kUnknown) << r.verdict.message;
  // libcurl tried to resend on a new connection; the transport refused.
  EXPECT_NE(r.verdict.message.find("resending refused"), std::string::npos) << r.verdict.message;
  EXPECT_TRUE(r.outcomes.empty());
  EXPECT_EQ(sim.Charges(imei), 1);
  EXPECT_EQ(sim.Stats()["calls"]["placeorder"], 1);

  // The same on a fresh connection, and for many calls.
  for (int i = 0; i < 5; ++i) {
    Caller fresh(sim.url());
    std::string other = NextImei();
    EXPECT_EQ(fresh.client.PlaceOrderBlocking(One(other)).verdict.call_class, CallClass::kUnknown);
    EXPECT_EQ(sim.Charges(other), 1);
  }
  EXPECT_EQ(sim.Stats()["calls"]["placeorder"], 6);
}

TEST(GsmFusionAgainstSim, RandomResetsNeverDoubleCharge) {
  Sim sim({"--fault-reset", "0.5", "--seed", "7"});
  Caller c(sim.url());
  std::vector<std::string> imeis;
  std::map<std::string, CallClass> classes;
  for (int i = 0; i < 40; ++i) {
    imeis.push_back(NextImei());
    c.client.PlaceOrder(One(imeis.back()), [&classes, imei = imeis.back()](PlaceOrderResult r) {
      classes[imei] = r.verdict.call_class;
    });
    if (i % 4 == 3) {
      while (c.client.InFlight() > 0) c.client.Pump(100ms);
    }
  }
  int unknown = 0;
  for (const auto& imei : imeis) {
    EXPECT_EQ(sim.Charges(imei), 1) << imei;
    EXPECT_NE(classes[imei], CallClass::kNotApplied) << imei;
    unknown += classes[imei] == CallClass::kUnknown;
  }
  EXPECT_EQ(sim.Stats()["calls"]["placeorder"], 40);
  EXPECT_EQ(unknown, sim.Stats()["faults"]["reset"].get<int>());
}

TEST(GsmFusionAgainstSim, Http503IsNotAppliedWithRetryAfter) {
  Sim sim({"--fault-503", "1.0"});
  Caller c(sim.url());
  std::string imei = NextImei();
  PlaceOrderResult r = c.client.PlaceOrderBlocking(One(imei));
  EXPECT_EQ(r.verdict.call_class, CallClass::kNotApplied) << r.verdict.message;
  EXPECT_EQ(r.verdict.http_status, 503);
  ASSERT_TRUE(r.verdict.retry_after);
  EXPECT_EQ(r.verdict.retry_after->count(), 2);
  EXPECT_EQ(sim.Charges(imei), 0);
}

TEST(GsmFusionAgainstSim, Http500IsUnknownWhetherOrNotCommitted) {
  Sim sim({"--fault-500", "1.0", "--seed", "3"});
  Caller c(sim.url());
  std::vector<std::string> imeis;
  for (int i = 0; i < 10; ++i) {
    imeis.push_back(NextImei());
    PlaceOrderResult r = c.client.PlaceOrderBlocking(One(imeis.back()));
    EXPECT_EQ(r.verdict.call_class, CallClass::kUnknown) << r.verdict.message;
    EXPECT_EQ(r.verdict.http_status, 500);
  }
  nlohmann::json faults = sim.Stats()["faults"];
  EXPECT_EQ(faults["http500_committed"].get<int>() + faults["http500_uncommitted"].get<int>(), 10);
  EXPECT_EQ(static_cast<int>(sim.Ledger().size()), faults["http500_committed"].get<int>());
}

TEST(GsmFusionAgainstSim, HangPastTheTimeoutIsUnknownAndWasCharged) {
  Sim sim({"--fault-hang", "1.0", "--hang-ms", "20000"});
  Caller c(sim.url(), kKey, kUser, 1s);
  std::string imei = NextImei();
  auto start = std::chrono::steady_clock::now();
  PlaceOrderResult r = c.client.PlaceOrderBlocking(One(imei));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.verdict.call_class, CallClass::kUnknown) << r.verdict.message;
  EXPECT_LT(took, 10s);  // the 1 s timeout fired, not the 20 s hang
  EXPECT_EQ(sim.Charges(imei), 1);
  ASSERT_EQ(sim.Ledger().size(), 1u);
  EXPECT_EQ(sim.Ledger()[0].back(), "hang");
}

TEST(GsmFusionAgainstSim, RefusedConnectionIsNotApplied) {
  std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort());
  Caller c(url);
  PlaceOrderResult r = c.client.PlaceOrderBlocking(One(NextImei()));
  EXPECT_EQ(r.verdict.call_class, CallClass::kNotApplied);
  EXPECT_NE(r.verdict.message.find("cannot reach " + url), std::string::npos) << r.verdict.message;
}

TEST(GsmFusionAgainstSim, BadCredentialsAreFatal) {
  Sim sim;
  Caller bad_key(sim.url(), "WRONG-KEY");
  CallVerdict v = bad_key.client.ProbeBlocking();
  EXPECT_EQ(v.call_class, CallClass::kFatal);
  EXPECT_EQ(v.message, "supplier refused the credentials: Invalid API Key!");
  EXPECT_EQ(bad_key.client.PlaceOrderBlocking(One(NextImei())).verdict.call_class,
            CallClass::kFatal);
  Caller bad_user(sim.url(), kKey, "mallory");
  EXPECT_EQ(bad_user.client.ListServicesBlocking().verdict.message,
            "supplier refused the credentials: Invalid User!");
  EXPECT_TRUE(sim.Ledger().empty());
}

TEST(GsmFusionAgainstSim, GzipChunkedAndPhpxmlAnswersParse) {
  Sim sim({"--gzip", "--chunked", "--fault-phpxml", "1.0"});
  Caller c(sim.url());
  ServicesResult s = c.client.ListServicesBlocking();
  ASSERT_EQ(s.verdict.call_class, CallClass::kApplied) << s.verdict.message;
  EXPECT_FALSE(s.services.empty());
  PlaceOrderResult r = c.client.PlaceOrderBlocking(One(NextImei()));
  ASSERT_EQ(r.verdict.call_class, CallClass::kApplied) << r.verdict.message;
  EXPECT_EQ(r.outcomes.at(0).kind, ImeiOutcomeKind::kOrdered);
  OrdersResult o = c.client.FetchOrdersBlocking({r.outcomes[0].order_id});
  EXPECT_EQ(o.orders.size(), 1u);
  EXPECT_GE(sim.Stats()["faults"]["phpxml"].get<int>(), 3);
}

TEST(GsmFusionAgainstSim, TooManyConcurrentIsNotAppliedWithRetryAfter) {
  Sim sim({"--max-concurrent", "2", "--latency-ms", "300"});
  Caller c(sim.url());
  std::map<std::string, PlaceOrderResult> results;
  for (int i = 0; i < 8; ++i) {
    std::string imei = NextImei();
    c.client.PlaceOrder(One(imei), [&results, imei](PlaceOrderResult r) { results[imei] = r; });
  }
  while (c.client.InFlight() > 0) c.client.Pump(100ms);
  int busy = 0;
  for (const auto& [imei, r] : results) {
    if (r.verdict.call_class == CallClass::kNotApplied) {
      ++busy;
      EXPECT_EQ(r.verdict.http_status, 429);
      ASSERT_TRUE(r.verdict.retry_after);
      EXPECT_EQ(r.verdict.retry_after->count(), 1);
      EXPECT_EQ(sim.Charges(imei), 0) << imei;  // proven not applied
    } else {
      EXPECT_EQ(r.verdict.call_class, CallClass::kApplied) << r.verdict.message;
      EXPECT_EQ(sim.Charges(imei), 1) << imei;
    }
  }
  EXPECT_GT(busy, 0);
  EXPECT_EQ(busy, sim.Stats()["rejected_429"].get<int>());
}

TEST(GsmFusionAgainstSim, ManyCallsOnOnePumpThreadReuseConnections) {
  Sim sim;
  Caller c(sim.url());
  constexpr size_t kWindow = 16;
  constexpr int kCalls = 200;
  int started = 0, applied = 0;
  std::vector<std::string> imeis;
  while (started < kCalls || c.client.InFlight() > 0) {
    while (started < kCalls && c.client.InFlight() < kWindow) {
      imeis.push_back(NextImei());
      ++started;
      c.client.PlaceOrder(One(imeis.back()), [&applied](PlaceOrderResult r) {
        applied += r.verdict.call_class == CallClass::kApplied &&
                   r.outcomes.at(0).kind == ImeiOutcomeKind::kOrdered;
      });
    }
    c.client.Pump(100ms);
  }
  EXPECT_EQ(applied, kCalls);
  EXPECT_LE(c.transport.connections_opened(), static_cast<long>(kWindow));
  EXPECT_EQ(static_cast<int>(sim.Ledger().size()), kCalls);
  for (const auto& imei : imeis) EXPECT_EQ(sim.Charges(imei), 1);
}

// ---- the CLI, as real processes ----

ProcessRun Imeiflow(std::vector<std::string> args, const std::map<std::string, std::string>& env) {
  return integration::RunImeiflow(std::move(args), env);
}

std::map<std::string, std::string> Env(const std::string& url, const std::string& key = kKey) {
  return integration::SupplierEnv(url, key);
}

TEST(CliAgainstSim, ServicesJson) {
  Sim sim;
  ProcessRun run = Imeiflow({"services", "--json"}, Env(sim.url()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << run.out;
  bool found = false;
  for (const auto& s : j["services"]) {
    if (s["id"] == kService) {
      found = true;
      EXPECT_EQ(s["price"], "0.08");
      EXPECT_TRUE(s["title"].is_string());
      EXPECT_TRUE(s["category"].is_string());
      EXPECT_TRUE(s["delivery"].is_string());
    }
  }
  EXPECT_TRUE(found) << run.out;
  EXPECT_EQ((run.out + run.err).find(kKey), std::string::npos);
}

TEST(CliAgainstSim, ServicesTable) {
  Sim sim;
  ProcessRun run = Imeiflow({"services"}, Env(sim.url()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("ID", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("1739"), std::string::npos);
  EXPECT_NE(run.out.find("0.08"), std::string::npos);
}

TEST(CliAgainstSim, ServicesFailsOnBadKey) {
  Sim sim;
  ProcessRun run = Imeiflow({"services"}, Env(sim.url(), "BAD1-BAD2-BAD3"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("Invalid API Key!"), std::string::npos) << run.err;
  EXPECT_EQ((run.out + run.err).find("BAD1-BAD2-BAD3"), std::string::npos);
}

TEST(CliAgainstSim, DoctorPassesWithGoodSettings) {
  Sim sim;
  ProcessRun run = Imeiflow({"doctor"}, Env(sim.url()));
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("credentials: accepted"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("FAIL"), std::string::npos) << run.out;
  EXPECT_EQ((run.out + run.err).find(kKey), std::string::npos);
}

TEST(CliAgainstSim, DoctorFailsOnBadKey) {
  Sim sim;
  ProcessRun run = Imeiflow({"doctor"}, Env(sim.url(), "BAD1-BAD2-BAD3"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("supplier refused the credentials: Invalid API Key!"), std::string::npos)
      << run.out;
  EXPECT_EQ((run.out + run.err).find("BAD1-BAD2-BAD3"), std::string::npos);
}

TEST(CliAgainstSim, DoctorFailsOnUnreachableUrl) {
  std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort());
  ProcessRun run = Imeiflow({"doctor", "--json"}, Env(url));
  EXPECT_EQ(run.exit_code, 1);
  nlohmann::json j = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << run.out;
  EXPECT_EQ(j["ok"], false);
  EXPECT_NE(run.out.find("cannot reach " + url), std::string::npos) << run.out;
  EXPECT_EQ((run.out + run.err).find(kKey), std::string::npos);
}

TEST(CliAgainstSim, DoctorReadsTheConfigFileAndKeyFile) {
  Sim sim;
  std::string dir = MakeTempDir();
  std::string key_file = dir + "/key", config = dir + "/imeiflow.toml";
  std::ofstream(key_file) << kKey << "\n";
  std::ofstream(config) << "[upstream]\nurl = \"" << sim.url() << "/\"\nuser = \"" << kUser
                        << "\"\napi_key_file = \"" << key_file << "\"\ntimeout_s = 5\n";
  ProcessRun run = Imeiflow({"--config", config, "doctor", "--json"}, {});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  nlohmann::json j = nlohmann::json::parse(run.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << run.out;
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ((run.out + run.err).find(kKey), std::string::npos);
  std::remove(key_file.c_str());
  std::remove(config.c_str());
  rmdir(dir.c_str());
}

TEST(CliAgainstSim, DoctorNamesMissingSettings) {
  ProcessRun run = Imeiflow({"doctor"}, {});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.out.find("upstream.url: not set"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace imeiflow::upstream
