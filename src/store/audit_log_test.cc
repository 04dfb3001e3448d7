#include "store/audit_log.h"

#include <gtest/gtest.h>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

using AuditLogTest = TestDatabase;

TEST_F(AuditLogTest, ListsNewestFirstInPages) {
  AuditLog audit(*db_);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(audit.Append(i * 100, "ana", "action" + std::to_string(i), "d").ok());
  }
  EXPECT_EQ(audit.Count().value(), 5);
  Result<std::vector<AuditEntry>> first = audit.List(0, 2);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].action, "action5");
  EXPECT_EQ((*first)[0].at, 500);
  EXPECT_EQ((*first)[1].action, "action4");
  Result<std::vector<AuditEntry>> last = audit.List(4, 2);
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->size(), 1u);
  EXPECT_EQ((*last)[0].action, "action1");
  EXPECT_EQ((*last)[0].actor, "ana");
  EXPECT_EQ((*last)[0].detail, "d");
}

}  // namespace
}  // namespace imeiflow::store
