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
  EXPECT_NE(page->body.find("<span id=\"job-state\">running</span>"), std::string::npos);
  EXPECT_NE(page->body.find("id=\"count-queued\">2<"), std::string::npos);
  EXPECT_NE(page->body.find("/orders/export.csv?job=1"), std::string::npos);
  EXPECT_NE(page->body.find("/orders/export.xlsx?job=1"), std::string::npos);
  EXPECT_EQ(page->body.find("id=\"cancel\""), std::string::npos);  // viewers cannot cancel

  httplib::Result missing = Client().Get("/jobs/999", vic.headers());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
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
