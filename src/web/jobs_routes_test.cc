#include "web/jobs_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "store/job_repository.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

store::NewItem Item(int line, const std::string& input, bool valid = true,
                    const std::string& reason = "") {
  return store::NewItem{line, input, input, valid, reason};
}

class JobsRoutesTest : public WebServerTest {
 protected:
  Browser LogInAs(const std::string& name, const std::string& role) {
    AddUser(name, role, "password-" + name);
    return LogIn(name, "password-" + name, "/jobs");
  }

  // A job of three valid IMEIs and one invalid entry; returns its id.
  int64_t AddJob(const std::string& invalid_input = "junk") {
    store::NewJob job;
    job.service_id = "1739";
    job.price = Money::FromCents(8);
    job.created_by = "cli";
    Result<int64_t> id = store::JobRepository(*db_).Create(
        job,
        {Item(1, "352099001761481"), Item(2, "490154203237518"), Item(3, "356938035643809"),
         Item(4, invalid_input, false, "not 15 digits")},
        clock_->NowMs());
    EXPECT_TRUE(id.ok());
    return id.ok() ? *id : 0;
  }

  void Exec(const std::string& sql) {
    Status s = db_->Exec(sql);
    ASSERT_TRUE(s.ok()) << s.message();
  }

  int64_t Count(const std::string& sql) {
    Result<store::Statement> stmt = db_->Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    if (!stmt.ok()) return -1;
    Result<bool> row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row);
    return stmt->ColumnInt(0);
  }

  // The JSON of the first `data:` line of an event stream.
  static nlohmann::json FirstEvent(const std::string& body) {
    size_t at = body.find("data: ");
    if (at == std::string::npos) return nullptr;
    size_t end = body.find('\n', at);
    return nlohmann::json::parse(body.substr(at + 6, end - at - 6), nullptr, false);
  }
};

TEST_F(JobsRoutesTest, ListShowsJobsNewestFirstWithProgress) {
  AddJob();
  AddJob();
  Browser vic = LogInAs("vic", "viewer");
  httplib::Result page = Client().Get("/jobs", vic.headers());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  size_t second = page->body.find("href=\"/jobs/2\"");
  size_t first = page->body.find("href=\"/jobs/1\"");
  ASSERT_NE(second, std::string::npos);
  ASSERT_NE(first, std::string::npos);
  EXPECT_LT(second, first);
  EXPECT_NE(page->body.find("data-percent=\"25\""), std::string::npos);  // the invalid one of 4
  EXPECT_EQ(page->body.find("href=\"/submit\" class"), std::string::npos);
}

TEST_F(JobsRoutesTest, APageBeyondTheLastShowsTheLast) {
  int64_t id = AddJob();
  Browser vic = LogInAs("vic", "viewer");
  for (const std::string query : {"?page=5", "?page=99999999999999999999"}) {
    httplib::Result list = Client().Get("/jobs" + query, vic.headers());
    ASSERT_TRUE(list);
    EXPECT_NE(list->body.find("Page 1 of 1"), std::string::npos) << query;
    EXPECT_NE(list->body.find("href=\"/jobs/1\""), std::string::npos) << query;
    httplib::Result job = Client().Get("/jobs/" + std::to_string(id) + query, vic.headers());
    ASSERT_TRUE(job);
    EXPECT_NE(job->body.find("Page 1 of 1"), std::string::npos) << query;
    EXPECT_NE(job->body.find("352099001761481"), std::string::npos) << query;
  }
}

TEST_F(JobsRoutesTest, JobPageShowsProgressCountsAndItemsForAViewer) {
  int64_t id = AddJob();
  Exec("UPDATE items SET state = 'accepted' WHERE line = 1");
  Browser vic = LogInAs("vic", "viewer");
  httplib::Result page = Client().Get("/jobs/" + std::to_string(id), vic.headers());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<div class=\"progress\" id=\"progress\" data-percent=\"50\">"),
            std::string::npos);
  EXPECT_NE(page->body.find("50%"), std::string::npos);
  EXPECT_NE(page->body.find("<span id=\"job-state\" data-state=\"running\">sending</span>"),
            std::string::npos);
  EXPECT_NE(page->body.find("id=\"tile-waiting\">2<"), std::string::npos);
  EXPECT_NE(page->body.find("id=\"tile-ordered\">1<"), std::string::npos);
  EXPECT_NE(page->body.find("/orders/export.csv?job=1"), std::string::npos);
  EXPECT_NE(page->body.find("/orders/export.xlsx?job=1"), std::string::npos);
  EXPECT_EQ(page->body.find("id=\"cancel\""), std::string::npos);  // viewers cannot cancel

  httplib::Result missing = Client().Get("/jobs/999", vic.headers());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

// A job of 12 lines with items of every kind; lines 1-7 have orders of the
// job with checker results (2 FMI on, 1 off; 2 locked; 1 blacklisted), one
// rejected and one pending.
int64_t SeedMixedJob(store::Database& db) {
  Status s = db.Exec(
      "INSERT INTO jobs(id, service_id, price_cents, created_at) VALUES (7, '1739', 8, 0);"
      "INSERT INTO orders(id, imei, service_id, status, price_cents, job_id, placed_at,"
      " updated_at, code, carrier, simlock, fmi, gsma_status) VALUES"
      " (1, '111111111111111', '1739', 'completed', 8, 7, 0, 0, '', 'AT&T USA', 'Locked', 'ON',"
      "  'Clean'),"
      " (2, '222222222222222', '1739', 'completed', 8, 7, 0, 0, '', 'AT&T USA', 'locked',"
      "  'FMI: On', 'Clean'),"
      " (3, '333333333333333', '1739', 'completed', 8, 7, 0, 0, '', 'EE UK', 'Unlocked', 'OFF',"
      "  'Blacklisted'),"
      " (4, '444444444444444', '1739', 'rejected', 8, 7, 0, 0, 'IMEI not found in GSX', '', '',"
      "  '', ''),"
      " (5, '555555555555555', '1739', 'pending', 8, 7, 0, 0, NULL, '', '', '', ''),"
      " (6, '666666666666666', '1739', 'unconfirmed', 8, 7, 0, 0, NULL, '', '', '', '');"
      "INSERT INTO items(job_id, line, input, imei, state, reason, order_id, updated_at) VALUES"
      " (7, 1, '111111111111111', '111111111111111', 'accepted', '', 1, 0),"
      " (7, 2, '222222222222222', '222222222222222', 'accepted', '', 2, 0),"
      " (7, 3, '333333333333333', '333333333333333', 'accepted', '', 3, 0),"
      " (7, 4, '444444444444444', '444444444444444', 'accepted', '', 4, 0),"
      " (7, 5, '555555555555555', '555555555555555', 'accepted', '', 5, 0),"
      " (7, 6, '666666666666666', '666666666666666', 'accepted_unconfirmed', '', 6, 0),"
      " (7, 7, '777777777777777', '777777777777777', 'skipped_duplicate', 'ordered before', NULL,"
      "  0),"
      " (7, 8, '888888888888888', '888888888888888', 'rejected', 'Invalid IMEI', NULL, 0),"
      " (7, 9, '999999999999999', '999999999999999', 'uncertain', 'timeout', NULL, 0),"
      " (7, 10, '101010101010101', '101010101010101', 'failed', 'HTTP 503', NULL, 0),"
      " (7, 11, '12345', '12345', 'invalid', 'not 15 digits', NULL, 0),"
      " (7, 12, '121212121212121', '121212121212121', 'queued', '', NULL, 0);");
  EXPECT_TRUE(s.ok()) << s.message();
  return 7;
}

TEST_F(JobsRoutesTest, JobPageTilesCountSendingAndResultsInTheShopsWords) {
  int64_t id = SeedMixedJob(*db_);
  Browser vic = LogInAs("vic", "viewer");
  httplib::Result page = Client().Get("/jobs/" + std::to_string(id), vic.headers());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  const std::string& body = page->body;
  for (const auto& [tile, n] : std::vector<std::pair<std::string, int>>{{"ordered", 6},
                                                                        {"already_ordered", 1},
                                                                        {"needs_review", 1},
                                                                        {"refused", 1},
                                                                        {"waiting", 1},
                                                                        {"failed", 1},
                                                                        {"cancelled", 0},
                                                                        {"not_imei", 1},
                                                                        {"completed", 3},
                                                                        {"rejected", 1},
                                                                        {"pending", 2}}) {
    EXPECT_NE(body.find("id=\"tile-" + tile + "\">" + std::to_string(n) + "<"), std::string::npos)
        << tile;
  }
  EXPECT_NE(body.find("refused by the supplier"), std::string::npos);
  // No engine words on the page.
  for (const char* word : {">skipped_duplicate<", ">in_flight<", ">uncertain<",
                           ">accepted_unconfirmed<", ">accepted<"}) {
    EXPECT_EQ(body.find(word), std::string::npos) << word;
  }
  EXPECT_NE(body.find("href=\"/orders?job=7\" id=\"job-orders\">See the job's 6 orders"),
            std::string::npos);
  EXPECT_NE(body.find("href=\"/review?job=7\" id=\"job-review\">1 item needs review"),
            std::string::npos);
}

TEST_F(JobsRoutesTest, JobPageSummaryLinksEachFigureToThoseOrders) {
  int64_t id = SeedMixedJob(*db_);
  Browser vic = LogInAs("vic", "viewer");
  httplib::Result page = Client().Get("/jobs/" + std::to_string(id), vic.headers());
  ASSERT_TRUE(page);
  const std::string& body = page->body;
  for (const std::string& figure :
       {std::string("/orders?job=7&amp;fmi=on\"><strong>2</strong> FMI on"),
        std::string("/orders?job=7&amp;fmi=off\"><strong>1</strong> FMI off"),
        std::string("/orders?job=7&amp;simlock=locked\"><strong>2</strong> SIM-locked"),
        std::string("/orders?job=7&amp;simlock=unlocked\"><strong>1</strong> unlocked"),
        std::string("/orders?job=7&amp;blacklisted=yes\"><strong>1</strong> blacklisted"),
        std::string("/orders?job=7&amp;blacklisted=no\"><strong>2</strong> not blacklisted"),
        std::string("/orders?job=7&amp;carrier=AT%26T%20USA\"><strong>2</strong> AT&amp;T USA"),
        std::string("/orders?job=7&amp;status=rejected\"><strong>1</strong> rejected")}) {
    EXPECT_NE(body.find(figure), std::string::npos) << figure;
  }
}

TEST_F(JobsRoutesTest, ItemTableShowsEachImeiOnceWithItsResult) {
  int64_t id = SeedMixedJob(*db_);
  Browser vic = LogInAs("vic", "viewer");
  httplib::Result page = Client().Get("/jobs/" + std::to_string(id), vic.headers());
  ASSERT_TRUE(page);
  const std::string& body = page->body;
  size_t first = body.find("111111111111111");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(body.find("111111111111111", first + 1), std::string::npos);  // once
  EXPECT_NE(body.find("<td><code>111111111111111</code></td><td>ordered</td>"
                      "\n    <td>completed</td><td>AT&amp;T USA</td><td>Locked</td><td>ON</td>"),
            std::string::npos);
  EXPECT_NE(body.find("<td>rejected</td><td></td><td></td><td></td><td>IMEI not found in GSX</td>"),
            std::string::npos);
  EXPECT_NE(body.find("<td><code>12345</code></td><td>not an IMEI</td>"), std::string::npos);
}

TEST_F(JobsRoutesTest, CancelledJobSaysWhatItIsWithoutAFullBar) {
  int64_t id = AddJob();
  Exec("UPDATE items SET state = 'accepted' WHERE line = 1");
  Browser ana = LogInAs("ana", "operator");
  httplib::Result done = Client().Post("/jobs/" + std::to_string(id) + "/cancel", ana.headers(),
                                       httplib::Params{{"csrf_token", ana.csrf}});
  ASSERT_TRUE(done);
  httplib::Result page = Client().Get("/jobs/" + std::to_string(id), ana.headers());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body.find("id=\"progress\""), std::string::npos);
  EXPECT_EQ(page->body.find("100%"), std::string::npos);
  EXPECT_NE(page->body.find("Cancelled: 1 of 4 ordered, 2 not sent"), std::string::npos);
  EXPECT_NE(page->body.find("data-state=\"cancelled\">cancelled<"), std::string::npos);
}

TEST_F(JobsRoutesTest, JobPageEscapesItemInputs) {
  int64_t id = AddJob("<script>alert(1)</script>");
  Browser vic = LogInAs("vic", "viewer");
  httplib::Result page = Client().Get("/jobs/" + std::to_string(id), vic.headers());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->body.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(page->body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST_F(JobsRoutesTest, EventStreamSendsCountsMatchingTheDatabaseAndEndsWhenDone) {
  int64_t id = AddJob();
  Exec("UPDATE items SET state = 'accepted' WHERE line IN (1, 2)");
  Exec("UPDATE items SET state = 'rejected' WHERE line = 3");
  Browser vic = LogInAs("vic", "viewer");
  httplib::Result stream = Client().Get("/jobs/" + std::to_string(id) + "/events", vic.headers());
  ASSERT_TRUE(stream);
  ASSERT_EQ(stream->status, 200);
  EXPECT_EQ(stream->get_header_value("Content-Type"), "text/event-stream");
  nlohmann::json event = FirstEvent(stream->body);
  ASSERT_TRUE(event.is_object()) << stream->body;
  Result<store::JobSummary> job = store::JobRepository(*db_).Get(id);
  ASSERT_TRUE(job.ok());
  for (ItemState s : kAllItemStates) {
    EXPECT_EQ(event["counts"][std::string(ItemStateName(s))], job->counts.at(s))
        << ItemStateName(s);
  }
  EXPECT_EQ(event["percent"], 100);
  EXPECT_EQ(event["tiles"]["ordered"], 2);
  EXPECT_EQ(event["tiles"]["refused"], 1);
  EXPECT_EQ(event["sentence"], "4 of 4 finished");
  EXPECT_EQ(event["state_text"], "finished");
  EXPECT_EQ(event["state"], "done");
  EXPECT_EQ(event["final"], true);
}

TEST_F(JobsRoutesTest, EventStreamOfARunningJobEndsWhenTheClientGoesAway) {
  int64_t id = AddJob();
  Browser vic = LogInAs("vic", "viewer");
  std::vector<nlohmann::json> events;
  std::string buffer;
  httplib::Client client = Client();
  httplib::Result stream = client.Get(
      "/jobs/" + std::to_string(id) + "/events", vic.headers(), [&](const char* data, size_t n) {
        buffer.append(data, n);
        for (size_t end; (end = buffer.find("\n\n")) != std::string::npos;) {
          events.push_back(FirstEvent(buffer.substr(0, end + 1)));
          buffer.erase(0, end + 2);
        }
        return events.size() < 2;  // two events, then hang up
      });
  EXPECT_FALSE(stream);  // cancelled by the receiver
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["percent"], 25);
  EXPECT_EQ(events[0]["state"], "queued");  // nothing sent yet
  EXPECT_EQ(events[0]["final"], false);
  EXPECT_EQ(events[1]["counts"]["queued"], 3);
  // The server thread is free again: a normal page still answers.
  httplib::Result page = Client().Get("/jobs", vic.headers());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
}

TEST_F(JobsRoutesTest, EventStreamEndsWhenTheServerStops) {
  int64_t id = AddJob();
  Browser vic = LogInAs("vic", "viewer");
  std::string body;
  // Without the stop, the stream of a running job would outlast the client's
  // 10 s read timeout (it lasts kMaxStreamSeconds).
  httplib::Result stream = Client().Get("/jobs/" + std::to_string(id) + "/events", vic.headers(),
                                        [&](const char* data, size_t n) {
                                          body.append(data, n);
                                          web_->stopping.store(true);
                                          return true;
                                        });
  ASSERT_TRUE(stream) << httplib::to_string(stream.error());
  EXPECT_EQ(stream->status, 200);
  EXPECT_EQ(FirstEvent(body)["state"], "queued");
}

TEST_F(JobsRoutesTest, EventStreamNeedsASession) {
  int64_t id = AddJob();
  httplib::Result stream = Client().Get("/jobs/" + std::to_string(id) + "/events");
  ASSERT_TRUE(stream);
  EXPECT_EQ(stream->status, 303);
}

TEST_F(JobsRoutesTest, CancelIsForOperatorsAndAudited) {
  int64_t id = AddJob();
  const std::string path = "/jobs/" + std::to_string(id) + "/cancel";
  Browser vic = LogInAs("vic", "viewer");
  httplib::Result refused =
      Client().Post(path, vic.headers(), httplib::Params{{"csrf_token", vic.csrf}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE state = 'cancelled'"), 0);

  Browser ana = LogInAs("ana", "operator");
  httplib::Result page = Client().Get("/jobs/" + std::to_string(id), ana.headers());
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("data-confirm=\"Cancel job"), std::string::npos);
  httplib::Result forged = Client().Post(path, ana.headers(), httplib::Params{});
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 403);
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE state = 'cancelled'"), 0);

  httplib::Result done =
      Client().Post(path, ana.headers(), httplib::Params{{"csrf_token", ana.csrf}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 303);
  EXPECT_EQ(done->get_header_value("Location"), "/jobs/" + std::to_string(id));
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE state = 'cancelled'"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM audit WHERE action = 'job.cancel' AND actor = 'ana'"
                  " AND detail LIKE '%3 queued IMEIs cancelled%'"),
            1);
}

TEST_F(JobsRoutesTest, CancelSaysHowManyCouldNotBeCancelledAndWhy) {
  int64_t id = AddJob();
  Exec("UPDATE items SET after_uncertain = 1 WHERE line = 1");
  Exec("UPDATE items SET state = 'in_flight' WHERE line = 2");
  Browser ana = LogInAs("ana", "operator");
  httplib::Result done = Client().Post("/jobs/" + std::to_string(id) + "/cancel", ana.headers(),
                                       httplib::Params{{"csrf_token", ana.csrf}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 303);
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE state = 'cancelled'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit WHERE action = 'job.cancel' AND detail = 'Job " +
                  std::to_string(id) +
                  ": 1 queued IMEIs cancelled; 2 could not be cancelled: 1 is being resent to "
                  "learn whether an earlier call was charged, 1 is in flight'"),
            1);
}

TEST_F(JobsRoutesTest, RetryQueuesFailedItemsAgainAndIsAudited) {
  int64_t id = AddJob();
  Exec("UPDATE items SET state = 'failed', attempts = 5 WHERE line IN (1, 2)");
  Browser ana = LogInAs("ana", "operator");
  httplib::Result page = Client().Get("/jobs/" + std::to_string(id), ana.headers());
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("id=\"retry\""), std::string::npos);
  httplib::Result done = Client().Post("/jobs/" + std::to_string(id) + "/retry", ana.headers(),
                                       httplib::Params{{"csrf_token", ana.csrf}});
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 303);
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE state = 'queued'"), 3);
  EXPECT_EQ(Count("SELECT count(*) FROM items WHERE state = 'failed'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit WHERE action = 'job.retry' AND actor = 'ana'"), 1);
}

}  // namespace
}  // namespace imeiflow::web
