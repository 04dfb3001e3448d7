#include "web/api_routes.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/imei.h"
#include "store/job_sheet.h"
#include "store/job_submission.h"
#include "store/order_repository.h"
#include "web/api_test_server.h"

namespace imeiflow::web {
namespace {

using nlohmann::json;

constexpr const char* kImeiA = "352099001761481";
constexpr const char* kImeiB = "490154203237518";
constexpr const char* kImeiC = "356938035643809";

using ApiRoutesTest = ApiTestServer;

// The body of `r` as JSON; fails the test when it is not JSON.
json Body(const httplib::Result& r) {
  EXPECT_TRUE(r) << "no answer";
  if (!r) return json();
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json") << r->body;
  return json::parse(r->body, nullptr, false);
}

// A JSON error answer with `status` whose message mentions `text`.
void ExpectError(const httplib::Result& r, int status, const std::string& text) {
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, status) << r->body;
  json body = Body(r);
  ASSERT_TRUE(body.is_object()) << r->body;
  ASSERT_TRUE(body["error"].is_string()) << r->body;
  EXPECT_NE(body["error"].get<std::string>().find(text), std::string::npos) << r->body;
}

TEST_F(ApiRoutesTest, NoTokenOrABadTokenIs401Json) {
  httplib::Result none = client_->Get("/api/v1/services");
  ExpectError(none, 401, "missing bearer token");
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Bearer realm=\"imeiflow\"");
  ExpectError(client_->Get("/api/v1/services", Bearer(std::string(64, 'a'))), 401, "not valid");
  ExpectError(client_->Get("/api/v1/services", {{"Authorization", "Basic dXNlcjpwYXNz"}}), 401,
              "Bearer <token>");
  ExpectError(client_->Post("/api/v1/jobs", "{}", "application/json"), 401, "missing");
}

TEST_F(ApiRoutesTest, RevokedTokenIsRefused) {
  store::TokenRepository tokens(*db_);
  Result<store::NewToken> token = tokens.Create("ann", "", "test", 0);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(client_->Get("/api/v1/services", Bearer(token->secret))->status, 200);
  ASSERT_TRUE(tokens.Revoke(token->id, "test", 1).ok());
  ExpectError(client_->Get("/api/v1/services", Bearer(token->secret)), 401, "not valid");
}

TEST_F(ApiRoutesTest, ViewerMayReadButNotSubmit) {
  EXPECT_EQ(client_->Get("/api/v1/services", Bearer(viewer_token_))->status, 200);
  json request = {{"service_id", "1739"}, {"imeis", {kImeiA}}};
  ExpectError(
      client_->Post("/api/v1/jobs", Bearer(viewer_token_), request.dump(), "application/json"), 403,
      "needs operator");
  EXPECT_EQ(Query("SELECT count(*) FROM jobs"), "0");
  EXPECT_EQ(client_->Post("/api/v1/jobs", Bearer(admin_token_), request.dump(), "application/json")
                ->status,
            201);
}

TEST_F(ApiRoutesTest, CreatesAJobAndReportsInvalidEntriesByIndex) {
  json request = {{"service_id", "1739"},
                  {"imeis", {kImeiA, "hello", "35-209900-176148-1", kImeiB, "3520990017614"}},
                  {"recheck", false}};
  httplib::Result r =
      client_->Post("/api/v1/jobs", Bearer(operator_token_), request.dump(), "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json body = Body(r);
  int64_t id = body["id"];
  EXPECT_EQ(r->get_header_value("Location"), "/api/v1/jobs/" + std::to_string(id));
  EXPECT_EQ(body["valid"], 2);
  EXPECT_EQ(body["queued"], 2);
  ASSERT_EQ(body["invalid"].size(), 2u);
  EXPECT_EQ(body["invalid"][0]["index"], 1);
  EXPECT_EQ(body["invalid"][0]["input"], "hello");
  EXPECT_FALSE(body["invalid"][0]["reason"].get<std::string>().empty());
  EXPECT_EQ(body["invalid"][1]["index"], 4);
  ASSERT_EQ(body["repeated"].size(), 1u);
  EXPECT_EQ(body["repeated"][0]["index"], 2);
  EXPECT_EQ(body["repeated"][0]["first_index"], 0);
  EXPECT_EQ(body["estimated_cost"], "0.16");

  EXPECT_EQ(Query("SELECT created_by || ' ' || source FROM jobs"), "ann api");
  EXPECT_EQ(Query("SELECT count(*) FROM items WHERE state = 'queued'"), "2");
  EXPECT_EQ(Query("SELECT line FROM items WHERE input = 'hello'"), "2");
  EXPECT_EQ(Query("SELECT actor || ' ' || action FROM audit WHERE action = 'job.submit'"),
            "ann job.submit");

  json job = Body(client_->Get("/api/v1/jobs/" + std::to_string(id), Bearer(viewer_token_)));
  EXPECT_EQ(job["id"], id);
  EXPECT_EQ(job["state"], "queued");  // nothing sent yet
  EXPECT_EQ(job["money"]["estimated"], "0.16");
  EXPECT_EQ(job["results"]["pending"], 0);
  EXPECT_FALSE(job.contains("paused_reason"));
  EXPECT_EQ(job["total"], 4);
  EXPECT_EQ(job["counts"]["queued"], 2);
  EXPECT_EQ(job["counts"]["invalid"], 2);
  EXPECT_EQ(job["counts"]["accepted"], 0);
}

TEST_F(ApiRoutesTest, SubmittingAgainSkipsWhatIsAlreadyOrderedUnlessRecheck) {
  json request = {{"service_id", "1739"}, {"imeis", {kImeiA, kImeiB}}};
  auto post = [&](const json& body) {
    return Body(
        client_->Post("/api/v1/jobs", Bearer(operator_token_), body.dump(), "application/json"));
  };
  EXPECT_EQ(post(request)["queued"], 2);
  json again = post(request);
  EXPECT_EQ(again["queued"], 0);
  EXPECT_EQ(again["already_ordered"], 2);
  EXPECT_EQ(again["estimated_cost"], "0.00");
  request["recheck"] = true;
  EXPECT_EQ(post(request)["queued"], 2);
}

TEST_F(ApiRoutesTest, RejectedBeforeIsReportedAndSkipRejectedLeavesThemOut) {
  ASSERT_TRUE(db_->Exec("INSERT INTO orders(imei, service_id, status, price_cents, placed_at,"
                        " updated_at, code) VALUES ('" +
                        std::string(kImeiA) + "', '1739', 'rejected', 8, 1, 1, 'Blacklisted')")
                  .ok());
  json request = {{"service_id", "1739"}, {"imeis", {kImeiA, kImeiB}}, {"dry_run", true}};
  auto post = [&](const json& body) {
    return client_->Post("/api/v1/jobs", Bearer(operator_token_), body.dump(), "application/json");
  };
  httplib::Result dry = post(request);
  ASSERT_TRUE(dry);
  EXPECT_EQ(dry->status, 200) << dry->body;
  json preview = Body(dry);
  EXPECT_EQ(preview["rejected_before"]["count"], 1);
  EXPECT_EQ(preview["rejected_before"]["imeis"][0]["imei"], kImeiA);
  EXPECT_EQ(preview["rejected_before"]["imeis"][0]["reason"], "Blacklisted");
  EXPECT_EQ(preview["rejected_before"]["top_reasons"][0]["count"], 1);
  EXPECT_EQ(preview["to_order"], 2);
  EXPECT_EQ(preview["estimated_cost"], "0.16");
  EXPECT_EQ(Query("SELECT count(*) FROM jobs"), "0");

  request.erase("dry_run");
  request["skip_rejected"] = true;
  httplib::Result created = post(request);
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  json body = Body(created);
  EXPECT_EQ(body["queued"], 1);
  EXPECT_EQ(body["estimated_cost"], "0.08");
  EXPECT_EQ(body["rejected_before"]["count"], 1);
  EXPECT_EQ(body["rejected_before"]["skipped"], true);
  EXPECT_EQ(Query("SELECT reason FROM items WHERE imei = '" + std::string(kImeiA) + "'"),
            "rejected before: Blacklisted");
  ExpectError(post(json{{"service_id", "1739"}, {"imeis", {kImeiA}}, {"skip_rejected", 1}}), 400,
              "skip_rejected: must be true or false");
  ExpectError(post(json{{"service_id", "1739"}, {"imeis", {kImeiA}}, {"dry_run", "yes"}}), 400,
              "dry_run: must be true or false");
}

TEST_F(ApiRoutesTest, BadJobRequestsAre400NamingTheField) {
  auto post = [&](const std::string& body) {
    return client_->Post("/api/v1/jobs", Bearer(operator_token_), body, "application/json");
  };
  ExpectError(post("{\"service_id\": \"1739\", \"imeis\": ["), 400, "not valid JSON");
  ExpectError(post("[1, 2]"), 400, "JSON object");
  ExpectError(post(json{{"imeis", {kImeiA}}}.dump()), 400, "service_id: missing");
  ExpectError(post(json{{"service_id", 1739}, {"imeis", {kImeiA}}}.dump()), 400, "service_id");
  ExpectError(post(json{{"service_id", "1739"}}.dump()), 400, "imeis: missing");
  ExpectError(post(json{{"service_id", "1739"}, {"imeis", kImeiA}}.dump()), 400, "imeis: must be");
  ExpectError(post(json{{"service_id", "1739"}, {"imeis", {kImeiA, 7}}}.dump()), 400, "imeis[1]");
  ExpectError(post(json{{"service_id", "1739"}, {"imeis", json::array()}}.dump()), 400, "empty");
  ExpectError(post(json{{"service_id", "1739"}, {"imeis", {kImeiA}}, {"recheck", "yes"}}.dump()),
              400, "recheck");
  ExpectError(post(json{{"service_id", "1739"}, {"imeis", {kImeiA}}, {"re_check", true}}.dump()),
              400, "re_check: unknown field");
  ExpectError(post(json{{"service_id", "9999"}, {"imeis", {kImeiA}}}.dump()), 400,
              "no service \"9999\"");
  httplib::Result none_valid = post(json{{"service_id", "1739"}, {"imeis", {"x", "12"}}}.dump());
  ExpectError(none_valid, 400, "none of the 2 entries");
  EXPECT_EQ(Body(none_valid)["invalid"].size(), 2u);
  EXPECT_EQ(Query("SELECT count(*) FROM jobs"), "0");
}

TEST_F(ApiRoutesTest, UnknownJobIs404Json) {
  ExpectError(client_->Get("/api/v1/jobs/42", Bearer(viewer_token_)), 404, "42");
  ExpectError(client_->Get("/api/v1/jobs/99999999999999999999999", Bearer(viewer_token_)), 404,
              "no job");
}

TEST_F(ApiRoutesTest, CancelSaysWhatItCancelledAndWhatItKept) {
  json request = {{"service_id", "1739"}, {"imeis", {kImeiA, kImeiB, kImeiC}}};
  json created = Body(
      client_->Post("/api/v1/jobs", Bearer(operator_token_), request.dump(), "application/json"));
  const std::string path = "/api/v1/jobs/" + std::to_string(created["id"].get<int64_t>());
  ASSERT_TRUE(
      db_->Exec(fmt::format("UPDATE items SET after_uncertain = 1 WHERE imei = '{}'", kImeiB))
          .ok());
  ASSERT_TRUE(
      db_->Exec(fmt::format("UPDATE items SET state = 'in_flight' WHERE imei = '{}'", kImeiC))
          .ok());
  ExpectError(client_->Post(path + "/cancel", Bearer(viewer_token_), "", "application/json"), 403,
              "needs operator");
  EXPECT_EQ(Query("SELECT count(*) FROM items WHERE state = 'cancelled'"), "0");

  httplib::Result r =
      client_->Post(path + "/cancel", Bearer(operator_token_), "", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  json body = Body(r);
  EXPECT_EQ(body["id"], created["id"]);
  EXPECT_EQ(body["cancelled"], 1);
  EXPECT_EQ(body["kept_resending"], 1);
  EXPECT_EQ(body["kept_in_flight"], 1);
  EXPECT_EQ(body["in_review"], 0);
  EXPECT_EQ(Query(fmt::format("SELECT state FROM items WHERE imei = '{}'", kImeiB)), "queued");
  EXPECT_EQ(Query("SELECT actor || ' ' || action FROM audit WHERE action = 'job.cancel'"),
            "ann job.cancel");
  EXPECT_EQ(Body(client_->Get(path, Bearer(viewer_token_)))["state"], "cancelled");
  ExpectError(
      client_->Post("/api/v1/jobs/42/cancel", Bearer(operator_token_), "", "application/json"), 404,
      "no job 42");
  ExpectError(client_->Get(path + "/cancel", Bearer(operator_token_)), 405, "POST");
}

TEST_F(ApiRoutesTest, JobsListIsNewestFirstFilteredPagedWithATotal) {
  // Jobs 1-3 created on 2026-11-29, -30 and 12-01; job 2 cancelled, job 3 done.
  ASSERT_TRUE(db_->Exec("INSERT INTO jobs(id, service_id, price_cents, created_by, created_at,"
                        " cancelled_at) VALUES"
                        " (1, '1739', 8, 'ann', 1795910400000, NULL),"
                        " (2, '1739', 8, 'ann', 1795996800000, 1795996900000),"
                        " (3, '1739', 8, 'bob', 1796083200000, NULL);"
                        "INSERT INTO items(job_id, line, input, imei, state, updated_at) VALUES"
                        " (1, 1, 'a', 'a', 'queued', 0), (2, 1, 'b', 'b', 'cancelled', 0),"
                        " (3, 1, 'c', 'c', 'accepted', 0), (3, 2, 'd', 'd', 'accepted', 0)")
                  .ok());
  json all = Body(client_->Get("/api/v1/jobs", Bearer(viewer_token_)));
  ASSERT_TRUE(all["jobs"].is_array()) << all.dump();
  ASSERT_EQ(all["jobs"].size(), 3u);
  EXPECT_EQ(all["total"], 3);
  EXPECT_EQ(all["jobs"][0]["id"], 3);
  EXPECT_EQ(all["jobs"][0]["state"], "done");
  EXPECT_EQ(all["jobs"][0]["total"], 2);
  EXPECT_EQ(all["jobs"][0]["created_by"], "bob");
  EXPECT_EQ(all["jobs"][2]["id"], 1);

  json cancelled = Body(client_->Get("/api/v1/jobs?state=cancelled", Bearer(viewer_token_)));
  ASSERT_EQ(cancelled["jobs"].size(), 1u);
  EXPECT_EQ(cancelled["jobs"][0]["id"], 2);
  EXPECT_EQ(cancelled["total"], 1);

  json range = Body(
      client_->Get("/api/v1/jobs?since=2026-11-30&until=2026-11-30", Bearer(viewer_token_)));
  ASSERT_EQ(range["jobs"].size(), 1u);
  EXPECT_EQ(range["jobs"][0]["id"], 2);

  json page = Body(client_->Get("/api/v1/jobs?limit=1&offset=1", Bearer(viewer_token_)));
  ASSERT_EQ(page["jobs"].size(), 1u);
  EXPECT_EQ(page["jobs"][0]["id"], 2);
  EXPECT_EQ(page["total"], 3);

  ExpectError(client_->Get("/api/v1/jobs?stat=done", Bearer(viewer_token_)), 400, "stat");
  ExpectError(client_->Get("/api/v1/jobs?state=finished", Bearer(viewer_token_)), 400,
              "not a job state");
  ExpectError(client_->Get("/api/v1/jobs?limit=0", Bearer(viewer_token_)), 400, "limit");
  ExpectError(client_->Get("/api/v1/jobs?since=yesterday", Bearer(viewer_token_)), 400, "since");
  ExpectError(client_->Get("/api/v1/jobs"), 401, "missing");
}

class OrdersApiTest : public ApiTestServer {
 protected:
  void SetUp() override {
    ApiTestServer::SetUp();
    ASSERT_TRUE(db_->Exec("INSERT INTO jobs(id, service_id, price_cents, created_at)"
                          " VALUES (1, '1739', 8, 0);"
                          "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents,"
                          " job_id, placed_at, updated_at) VALUES"
                          " ('u1', '352099001761481', '1739', 'pending', 8, 1, 100, 100),"
                          " ('u2', '490154203237518', '1739', 'pending', 8, 1, 200, 200)")
                    .ok());
    store::OrderRepository orders(*db_);
    ASSERT_TRUE(orders
                    .SetResult(1, store::OrderStatus::kCompleted,
                               "Model: iPhone 13 - Carrier: <b>AT&amp;T</b>", 300)
                    .ok());
  }
};

TEST_F(OrdersApiTest, SearchesByImeiAndNamesTheImeisWithoutAnOrder) {
  std::string query = std::string("/api/v1/orders?imei=") + kImeiA + "," + kImeiC;
  httplib::Result r = client_->Get(query, Bearer(viewer_token_));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json body = Body(r);
  ASSERT_EQ(body["orders"].size(), 1u);
  const json& order = body["orders"][0];
  EXPECT_EQ(order["imei"], kImeiA);
  EXPECT_EQ(order["upstream_id"], "u1");
  EXPECT_EQ(order["status"], "completed");
  EXPECT_EQ(order["price"], "0.08");
  EXPECT_EQ(order["job"], 1);
  EXPECT_EQ(order["fields"]["model"], "iPhone 13");
  EXPECT_EQ(order["fields"]["carrier"], "AT&T");
  EXPECT_EQ(body["not_found"], json::array({kImeiC}));
}

TEST_F(OrdersApiTest, FiltersByStatusJobAndPage) {
  json pending = Body(client_->Get("/api/v1/orders?status=pending", Bearer(viewer_token_)));
  ASSERT_EQ(pending["orders"].size(), 1u);
  EXPECT_EQ(pending["orders"][0]["imei"], kImeiB);
  EXPECT_EQ(pending["not_found"], json::array());
  json page = Body(client_->Get("/api/v1/orders?job=1&limit=1&offset=1", Bearer(viewer_token_)));
  ASSERT_EQ(page["orders"].size(), 1u);
  EXPECT_EQ(page["orders"][0]["imei"], kImeiA);  // newest first: B, then A
  ExpectError(client_->Get("/api/v1/orders?status=done", Bearer(viewer_token_)), 400, "status");
  ExpectError(client_->Get("/api/v1/orders?job=x", Bearer(viewer_token_)), 400, "job");
  ExpectError(client_->Get("/api/v1/orders?limit=0", Bearer(viewer_token_)), 400, "limit");
  ExpectError(client_->Get("/api/v1/orders?since=yesterday", Bearer(viewer_token_)), 400, "since");
  ExpectError(client_->Get("/api/v1/orders?imei=123", Bearer(viewer_token_)), 400, "imei");
}

TEST_F(OrdersApiTest, LongListsGoThroughPostSearch) {
  json imeis = json::array();
  for (int i = 0; i < 1000; ++i) {
    std::string body = std::to_string(35'000'000'000'000LL + i);
    imeis.push_back(body + CheckDigit(body));
  }
  imeis.push_back(kImeiB);
  json request = {{"imeis", imeis}, {"limit", 5000}};
  httplib::Result r = client_->Post("/api/v1/orders/search", Bearer(viewer_token_), request.dump(),
                                    "application/json");
  json body = Body(r);
  ASSERT_EQ(r->status, 200) << r->body;
  ASSERT_EQ(body["orders"].size(), 1u);
  EXPECT_EQ(body["orders"][0]["imei"], kImeiB);
  EXPECT_EQ(body["not_found"].size(), 1000u);
  ExpectError(client_->Post("/api/v1/orders/search", Bearer(viewer_token_),
                            json{{"imeis", {kImeiA, "nope"}}}.dump(), "application/json"),
              400, "imeis[1]");
}

TEST_F(ApiRoutesTest, ServicesComeFromTheCache) {
  json body = Body(client_->Get("/api/v1/services", Bearer(viewer_token_)));
  ASSERT_EQ(body["services"].size(), 2u);
  const json& first = body["services"][0];
  EXPECT_EQ(first["id"], "1739");
  EXPECT_EQ(first["title"], "iPhone Carrier + FMI Check");
  EXPECT_EQ(first["category"], "Apple");
  EXPECT_EQ(first["price"], "0.08");
  EXPECT_EQ(first["delivery"], "1-5 Minutes");
  EXPECT_EQ(body["services"][1]["price"], "1.25");
}

TEST_F(ApiRoutesTest, UnknownPathsAndMethodsAreJsonToo) {
  ExpectError(client_->Get("/api/v1/nothing", Bearer(viewer_token_)), 404, "no such endpoint");
  httplib::Result wrong = client_->Delete("/api/v1/jobs/3", Bearer(operator_token_));
  ExpectError(wrong, 405, "takes GET");
  EXPECT_EQ(wrong->get_header_value("Allow"), "GET");
  ExpectError(client_->Put("/api/v1/services", "{}", "application/json"), 405, "GET");
}

// A misspelt or unknown parameter is an error naming it, not an unfiltered answer.
TEST_F(ApiRoutesTest, UnknownQueryParametersAre400NamingThem) {
  ExpectError(client_->Get("/api/v1/orders?stauts=completed", Bearer(viewer_token_)), 400,
              "stauts");
  ExpectError(client_->Get("/api/v1/services?q=apple", Bearer(viewer_token_)), 400, "q");
  ExpectError(client_->Get("/api/v1/jobs/1?verbose=1", Bearer(viewer_token_)), 400, "verbose");
  httplib::Result until =
      client_->Get("/api/v1/orders?until=2026-11-29", Bearer(viewer_token_));
  ASSERT_TRUE(until);
  EXPECT_EQ(until->status, 200) << until->body;
}

// `curl -d @body.json` sends JSON as a form: the answer says what to send.
TEST_F(ApiRoutesTest, BodiesThatAreNotJsonSayWhatToSend) {
  json body = {{"service_id", "1739"}, {"imeis", {kImeiA}}};
  httplib::Result form = client_->Post("/api/v1/jobs", Bearer(operator_token_), body.dump(),
                                       "application/x-www-form-urlencoded");
  ExpectError(form, 415, "Content-Type: application/json");
  ExpectError(form, 415, "application/x-www-form-urlencoded");
  // Long bodies too (Debian's cpp-httplib refused url-encoded bodies over 8 KiB).
  json big = {{"service_id", "1739"}, {"imeis", std::vector<std::string>(1200, kImeiA)}};
  ExpectError(client_->Post("/api/v1/jobs", Bearer(operator_token_), big.dump(),
                            "application/x-www-form-urlencoded"),
              415, "--json @body.json");
  EXPECT_EQ(Query("SELECT count(*) FROM jobs"), "0");
}

class SmallLimitsApiTest : public ApiTestServer {
 protected:
  void ConfigureContext(ApiContext& ctx) override {
    ctx.max_job_imeis = 3;
    ctx.max_body_bytes = 4096;
    body_limit_ = 8192;
  }
};

TEST_F(SmallLimitsApiTest, TooManyImeisOrTooLargeABodyIs413) {
  json four = {{"service_id", "1739"}, {"imeis", {kImeiA, kImeiB, kImeiC, kImeiA}}};
  ExpectError(
      client_->Post("/api/v1/jobs", Bearer(operator_token_), four.dump(), "application/json"), 413,
      "at most 3");
  ExpectError(client_->Post("/api/v1/jobs", Bearer(operator_token_), std::string(5000, ' '),
                            "application/json"),
              413, "at most 4096");
  // Beyond the server's own limit, the server refuses before any route runs.
  ExpectError(client_->Post("/api/v1/jobs", Bearer(operator_token_), std::string(10000, ' '),
                            "application/json"),
              413, "larger than the limit of 8192 bytes");
  EXPECT_EQ(Query("SELECT count(*) FROM jobs"), "0");
}

TEST_F(ApiRoutesTest, TheSheetOfAJobMadeFromAFileAndA404ForOneMadeFromAList) {
  json request = {{"service_id", "1739"}, {"imeis", {kImeiA}}};
  httplib::Result made =
      client_->Post("/api/v1/jobs", Bearer(operator_token_), request.dump(), "application/json");
  ASSERT_TRUE(made && made->status == 201);
  int64_t listed = Body(made)["id"];
  ExpectError(client_->Get(fmt::format("/api/v1/jobs/{}/sheet", listed), Bearer(viewer_token_)),
              404, "not made from an uploaded CSV or XLSX file");

  // A job made from an uploaded file (as `submit FILE` and the pages make it).
  const std::string csv = fmt::format("Stock No,IMEI\r\nS-9,{}\r\n", kImeiB);
  Result<CheckReport> report = ParseImeiInput(csv);
  ASSERT_TRUE(report.ok());
  Result<std::optional<store::UploadedSheet>> sheet = store::ReadUploadedSheet(csv);
  ASSERT_TRUE(sheet.ok() && sheet->has_value());
  store::CachedService service;
  service.id = "1739";
  service.title = "Check";
  store::SubmissionOptions how;
  how.sheet = &**sheet;
  Result<store::Submission> done = store::SubmitJob(*db_, service, *report, how, 1);
  ASSERT_TRUE(done.ok()) << done.status().message();
  const std::string path = fmt::format("/api/v1/jobs/{}/sheet", done->job.id);
  EXPECT_EQ(client_->Get(path)->status, 401);
  httplib::Result got = client_->Get(path, Bearer(viewer_token_));
  ASSERT_TRUE(got);
  ASSERT_EQ(got->status, 200) << got->body;
  EXPECT_NE(got->body.find("Stock No,IMEI,Result,"), std::string::npos) << got->body;
  EXPECT_NE(got->body.find("S-9,"), std::string::npos);
  ExpectError(client_->Get(path + "?format=pdf", Bearer(viewer_token_)), 400, "csv or xlsx");
  ExpectError(client_->Get(path + "?colour=red", Bearer(viewer_token_)), 400, "colour");
}

}  // namespace
}  // namespace imeiflow::web
