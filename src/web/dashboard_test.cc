#include "web/dashboard.h"

#include <gtest/gtest.h>

#include "store/test_database.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kToday = 1'795'910'400'000;  // 2026-11-29 00:00 UTC
constexpr int64_t kNow = kToday + 10 * 3'600'000;

store::NewItem Item(int line, const std::string& imei) {
  store::NewItem item;
  item.line = line;
  item.input = imei;
  item.imei = imei;
  return item;
}

// A job of four IMEIs created at `at`; returns its id.
int64_t AddJob(store::Database& db, int64_t at) {
  store::NewJob job;
  job.service_id = "1739";
  job.price = Money::FromCents(8);
  Result<int64_t> id =
      store::JobRepository(db).Create(job,
                                      {Item(1, "352099001761481"), Item(2, "490154203237518"),
                                       Item(3, "356938035643809"), Item(4, "353918050423364")},
                                      at);
  EXPECT_TRUE(id.ok()) << id.status().message();
  return id.ok() ? *id : 0;
}

void Exec(store::Database& db, const std::string& sql) {
  Status s = db.Exec(sql);
  ASSERT_TRUE(s.ok()) << s.message() << ": " << sql;
}

void SeedDay(store::Database& db) {
  int64_t job = AddJob(db, kToday + 1000);
  std::string today = std::to_string(kToday + 2000);
  std::string id = std::to_string(job);
  // Line 1 accepted, 2 rejected, 3 duplicate; line 4 stays queued.
  Exec(db, "UPDATE items SET state = 'accepted', updated_at = " + today + " WHERE line = 1");
  Exec(db, "UPDATE items SET state = 'rejected', updated_at = " + today + " WHERE line = 2");
  Exec(db, "UPDATE items SET state = 'duplicate', updated_at = " + today + " WHERE line = 3");
  Exec(db,
       "INSERT INTO orders(upstream_id, imei, service_id, status, price_cents, job_id, placed_at,"
       " updated_at) VALUES"
       " ('u1', '352099001761481', '1739', 'completed', 8, " +
           id + ", " + today + ", " + today +
           "),"
           " ('u2', '111111111111111', '1739', 'rejected', 8, " +
           id + ", " + today + ", " + today +
           "),"
           " ('u3', '222222222222222', '1739', 'pending', 8, " +
           id + ", " + today + ", " + today +
           "),"
           " ('u0', '333333333333333', '1739', 'completed', 8, NULL, " +
           std::to_string(kToday - kDay) + ", 0)");
  Exec(db, "INSERT INTO spending(day, cents) VALUES ('2026-11-29', 2400), ('2026-11-28', 999)");
  Exec(db,
       "INSERT INTO calls(service_id, created_at, finished_at, outcome, http_status) VALUES"
       " ('1739', 1, 2, 'applied', 200), ('1739', 3, 4, 'not_applied', 503),"
       " ('1739', 5, 6, 'applied', 200), ('1739', " +
           today + ", " + today + ", 'unknown', 0)");
}

class DashboardPageTest : public WebServerTest {};

TEST_F(DashboardPageTest, ShowsFiguresJobsAndSupplierToAViewer) {
  clock_->Set(kNow);
  SeedDay(*db_);
  DispatcherStatus running;
  running.state = DispatcherState::kRunning;
  running.stats.in_flight = 7;
  running.stats.limit = 12;
  web_->engine.SetDispatcher(running);
  AddUser("vic", "viewer", "password-vic");
  Browser vic = LogIn("vic", "password-vic");
  httplib::Result page = Client().Get("/", vic.headers());
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200);
  const std::string& html = page->body;
  EXPECT_NE(html.find(R"(<span class="value">3</span><span class="label">IMEIs ordered)"),
            std::string::npos);
  EXPECT_NE(html.find("$24.00"), std::string::npos);
  EXPECT_NE(html.find(R"(<a href="/jobs/1">1</a>)"), std::string::npos);
  EXPECT_NE(html.find(R"(data-percent="75")"), std::string::npos);  // 3 of 4 items done
  EXPECT_NE(html.find("7 calls in flight, limit 12"), std::string::npos);
  EXPECT_NE(html.find("Errors in the last 4 calls: <strong>50%"), std::string::npos);
  // A viewer's nav has no operator or admin pages.
  EXPECT_NE(html.find(R"(href="/orders")"), std::string::npos);
  EXPECT_EQ(html.find(R"(href="/submit")"), std::string::npos);
  EXPECT_EQ(html.find(R"(href="/admin")"), std::string::npos);
}

TEST_F(DashboardPageTest, SaysWhenAnotherProcessDispatches) {
  DispatcherStatus elsewhere;
  elsewhere.state = DispatcherState::kLockedElsewhere;
  elsewhere.note = "another process (pid 42) dispatches for this database";
  web_->engine.SetDispatcher(elsewhere);
  AddUser("ana", "admin", "password-ana");
  Browser ana = LogIn("ana", "password-ana");
  httplib::Result page = Client().Get("/", ana.headers());
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("running in another process"), std::string::npos);
  EXPECT_NE(page->body.find("pid 42"), std::string::npos);
  EXPECT_NE(page->body.find(R"(href="/admin")"), std::string::npos);
}

}  // namespace
}  // namespace imeiflow::web
