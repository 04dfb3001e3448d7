#include "store/service_repository.h"

#include <gtest/gtest.h>

#include "store/audit_log.h"
#include "store/test_database.h"

namespace imeiflow::store {
namespace {

using ServiceRepositoryTest = TestDatabase;

CachedService Service(std::string id, std::string title, int64_t cents) {
  CachedService s;
  s.id = std::move(id);
  s.category = "Apple";
  s.title = std::move(title);
  s.price = Money::FromCents(cents);
  s.delivery = "1-5 Minutes";
  return s;
}

TEST_F(ServiceRepositoryTest, ARefreshAndItsAuditRowLandTogether) {
  ServiceRepository services(*db_);
  ASSERT_TRUE(services.ReplaceAll({Service("1", "Old", 5)}, 10).ok());
  ASSERT_TRUE(services
                  .ReplaceAll({Service("1739", "Carrier check", 8)}, 20,
                              ServicesAudit{"ana", "Services refreshed: 1 cached"})
                  .ok());
  Result<std::vector<AuditEntry>> rows = AuditLog(*db_).List(0, 10);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].actor, "ana");
  EXPECT_EQ((*rows)[0].action, "services_refresh");
  EXPECT_EQ((*rows)[0].detail, "Services refreshed: 1 cached");

  ASSERT_TRUE(db_->Exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit"
                        " BEGIN SELECT RAISE(ABORT, 'audit refused'); END")
                  .ok());
  EXPECT_FALSE(services
                   .ReplaceAll({Service("2001", "FMI", 5)}, 30,
                               ServicesAudit{"ana", "Services refreshed: 1 cached"})
                   .ok());
  Result<std::vector<CachedService>> list = services.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, "1739");  // the failed refresh left the catalogue as it was
}

TEST_F(ServiceRepositoryTest, ReplaceAllSwapsTheCatalogue) {
  ServiceRepository services(*db_);
  ASSERT_TRUE(services.ReplaceAll({Service("1", "Old", 5)}, 10).ok());
  ASSERT_TRUE(
      services
          .ReplaceAll({Service("1739", "Carrier check", 8), Service("2001", "Blacklist check", 5)},
                      20)
          .ok());
  Result<std::vector<CachedService>> list = services.List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].title, "Blacklist check");
  EXPECT_EQ((*list)[1].price, Money::FromCents(8));
  EXPECT_EQ((*list)[1].fetched_at, 20);

  Result<CachedService> found = services.Find("1739");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->delivery, "1-5 Minutes");
  Result<CachedService> missing = services.Find("1");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("services --refresh"), std::string::npos);
}

TEST_F(ServiceRepositoryTest, TitlesMapsIdsToTitles) {
  ServiceRepository services(*db_);
  ASSERT_TRUE(
      services.ReplaceAll({Service("1739", "Carrier check", 8), Service("2001", "FMI", 5)}, 1)
          .ok());
  Result<std::map<std::string, std::string>> titles = services.Titles();
  ASSERT_TRUE(titles.ok());
  EXPECT_EQ(*titles,
            (std::map<std::string, std::string>{{"1739", "Carrier check"}, {"2001", "FMI"}}));
}

TEST_F(ServiceRepositoryTest, AFailedReplaceKeepsTheOldCatalogue) {
  ServiceRepository services(*db_);
  ASSERT_TRUE(services.ReplaceAll({Service("1", "Old", 5)}, 10).ok());
  Status s = services.ReplaceAll({Service("2", "A", 5), Service("2", "B", 6)}, 20);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("service 2"), std::string::npos) << s.message();
  ASSERT_EQ(services.List()->size(), 1u);
  EXPECT_EQ(services.List()->front().title, "Old");
}

}  // namespace
}  // namespace imeiflow::store
