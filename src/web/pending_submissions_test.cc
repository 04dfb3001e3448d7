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
  PendingSubmissions pending(PendingLimits{.per_user = 2, .total = 8, .ttl_ms = 60'000});
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

// Issue 11, row 6: user A's 4 previews pushed out user B's (4 server-wide),
// and B was told "expired or already confirmed".
TEST(PendingSubmissionsTest, OneUsersPreviewsDoNotPushOutAnothers) {
  PendingSubmissions pending;
  std::string bobs = pending.Put(For("bob"), 0);
  std::vector<std::string> anas;
  for (int i = 1; i <= 5; ++i) anas.push_back(pending.Put(For("ana"), i));
  EXPECT_TRUE(pending.Take(bobs, "bob", 10).has_value());
  // Ana's fifth replaced her first: she is told so.
  EXPECT_FALSE(pending.Take(anas[0], "ana", 10).has_value());
  EXPECT_EQ(pending.WhyNotAvailable(anas[0], "ana", 10),
            "That preview was replaced by a newer preview of yours (at most 4 wait at a time): "
            "no job was created from it. Preview the IMEIs again.");
  for (size_t i = 1; i < anas.size(); ++i) EXPECT_TRUE(pending.Take(anas[i], "ana", 10));
}

TEST(PendingSubmissionsTest, SaysTrulyWhatBecameOfAPreview) {
  PendingSubmissions pending(PendingLimits{.per_user = 4, .total = 3, .ttl_ms = 30 * 60'000});
  std::string confirmed = pending.Put(For("ana"), 0);
  ASSERT_TRUE(pending.Take(confirmed, "ana", 1));
  EXPECT_FALSE(pending.Take(confirmed, "ana", 2));
  EXPECT_TRUE(pending.WhyNotAvailable(confirmed, "ana", 2)
                  .starts_with("That preview was already confirmed"));

  std::string edited = pending.Put(For("ana"), 3);
  ASSERT_TRUE(pending.Take(edited, "ana", 4, PendingUse::kEdit));
  EXPECT_TRUE(pending.WhyNotAvailable(edited, "ana", 5).starts_with("That preview was sent back"));

  std::string expired = pending.Put(For("ana"), 10);
  EXPECT_FALSE(pending.Take(expired, "ana", 10 + 30 * 60'000 + 1));
  EXPECT_EQ(pending.WhyNotAvailable(expired, "ana", 10 + 30 * 60'000 + 1),
            "That preview expired after 30 minutes: no job was created from it. Preview the "
            "IMEIs again.");

  std::string bobs = pending.Put(For("bob"), 40 * 60'000);
  EXPECT_FALSE(pending.Take(bobs, "ana", 40 * 60'000));
  EXPECT_TRUE(pending.WhyNotAvailable(bobs, "ana", 40 * 60'000)
                  .starts_with("That preview belongs to another user"));
  EXPECT_TRUE(pending.Take(bobs, "bob", 40 * 60'000));  // still there for its owner

  // The server's ceiling (3 here) drops the oldest of anyone's.
  std::string first = pending.Put(For("u1"), 50 * 60'000);
  pending.Put(For("u2"), 50 * 60'000 + 1);
  pending.Put(For("u3"), 50 * 60'000 + 2);
  pending.Put(For("u4"), 50 * 60'000 + 3);
  EXPECT_EQ(pending.size(), 3u);
  EXPECT_TRUE(pending.WhyNotAvailable(first, "u1", 50 * 60'000 + 4)
                  .starts_with("That preview was dropped because 3"));
  EXPECT_TRUE(pending.WhyNotAvailable("nope", "ana", 0).starts_with("There is no such preview"));
}

}  // namespace
}  // namespace imeiflow::web
