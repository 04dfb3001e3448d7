// Issue 11, row 4, through the login route: 30 simultaneous logins for one
// user, 29 wrong and 1 right, check at most 5 passwords (the per-user limit).
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "store/audit_log.h"
#include "web/test_server.h"

namespace imeiflow::web {
namespace {

using LoginConcurrencyTest = WebServerTest;

TEST_F(LoginConcurrencyTest, SimultaneousGuessesCheckAtMostTheLimit) {
  AddUser("ana", "operator", "correct horse");
  constexpr int kGuesses = 30;
  std::vector<int> statuses(kGuesses, 0);
  std::vector<std::thread> guesses;
  for (int i = 0; i < kGuesses; ++i) {
    guesses.emplace_back([this, i, &statuses] {
      httplib::Client client = Client();
      httplib::Result done =
          PostLogin(client, "ana", i == kGuesses / 2 ? "correct horse" : "wrong horse");
      if (done) statuses[i] = done->status;
    });
  }
  for (std::thread& t : guesses) t.join();
  // Each checked password leaves an audit row (login or login_failed); the
  // others were answered 429 without a check.
  Result<std::vector<store::AuditEntry>> audit = store::AuditLog(*db_).List(0, 100);
  ASSERT_TRUE(audit.ok());
  EXPECT_LE(std::count_if(audit->begin(), audit->end(),
                          [](const store::AuditEntry& e) {
                            return e.actor == "ana" &&
                                   (e.action == "login" || e.action == "login_failed");
                          }),
            5);
  EXPECT_GE(std::count(statuses.begin(), statuses.end(), 429), kGuesses - 5);
}

}  // namespace
}  // namespace imeiflow::web
