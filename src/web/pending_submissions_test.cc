#include "web/pending_submissions.h"

#include <gtest/gtest.h>

namespace imeiflow::web {
namespace {

PendingSubmission For(const std::string& user) {
  PendingSubmission p;
  p.user_name = user;
  p.service_id = "1739";
  p.report.imeis = {"352099001761481"};
  p.report.imei_lines = {1};
  return p;
}

TEST(PendingSubmissionsTest, TakenOnceByItsOwnerOnly) {
  PendingSubmissions pending;
  std::string id = pending.Put(For("ana"), 1000);
  EXPECT_EQ(id.size(), 64u);
  EXPECT_FALSE(pending.Take(id, "bob", 1000).has_value());
  std::optional<PendingSubmission> taken = pending.Take(id, "ana", 1000);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->report.imeis, std::vector<std::string>{"352099001761481"});
  EXPECT_FALSE(pending.Take(id, "ana", 1000).has_value());
  EXPECT_FALSE(pending.Take("nope", "ana", 1000).has_value());
}

TEST(PendingSubmissionsTest, ExpiresAndKeepsABoundedNumber) {
  PendingSubmissions pending(2, 60'000);
  std::string old = pending.Put(For("ana"), 0);
  EXPECT_FALSE(pending.Take(old, "ana", 60'001).has_value());
  std::string a = pending.Put(For("ana"), 1);
  std::string b = pending.Put(For("ana"), 2);
  std::string c = pending.Put(For("ana"), 3);
  EXPECT_EQ(pending.size(), 2u);
  EXPECT_FALSE(pending.Take(a, "ana", 4).has_value());  // the oldest went first
  EXPECT_TRUE(pending.Take(b, "ana", 4).has_value());
  EXPECT_TRUE(pending.Take(c, "ana", 4).has_value());
}

}  // namespace
}  // namespace imeiflow::web
