#include "store/backup_schedule.h"

#include <gtest/gtest.h>

namespace imeiflow::store {
namespace {

// 2026-12-02 00:00:00 UTC.
constexpr int64_t kMidnight = 1'796'169'600'000;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kDay = 24 * 60 * kMinute;
constexpr int kThreeAm = 3 * 60;

TEST(BackupScheduleTest, FileNameCarriesTheUtcTime) {
  EXPECT_EQ(BackupFileName(kMidnight + 3 * 60 * kMinute + 5'000), "imeiflow-20261202-030005.db");
  EXPECT_EQ(BackupFileTimeMs("imeiflow-20261202-030005.db"), kMidnight + 3 * 60 * kMinute + 5'000);
}

TEST(BackupScheduleTest, OtherNamesAreNotBackups) {
  for (const char* name : {"imeiflow-20261302-030005.db", "imeiflow-20260231-030005.db",
                           "imeiflow-20261202-030005.db.partial", "notes.txt",
                           "imeiflow-2026120-0300050.db", "imeiflow-20261202-03000a.db"}) {
    EXPECT_FALSE(BackupFileTimeMs(name)) << name;
  }
}

TEST(BackupScheduleTest, NextRunIsTodaysSlotThenTomorrows) {
  int64_t one_am = kMidnight + 60 * kMinute;
  int64_t yesterday = kMidnight - kDay + kThreeAm * kMinute;
  // Before today's slot, with yesterday's backup taken: today at 03:00.
  EXPECT_EQ(NextBackupMs(one_am, kThreeAm, yesterday), kMidnight + kThreeAm * kMinute);
  // Today's taken: tomorrow at 03:00.
  int64_t today = kMidnight + kThreeAm * kMinute;
  EXPECT_EQ(NextBackupMs(today + kMinute, kThreeAm, today), today + kDay);
}

TEST(BackupScheduleTest, MissedRunAfterRestartIsTakenAtOnce) {
  int64_t noon = kMidnight + 12 * 60 * kMinute;
  int64_t two_days_ago = kMidnight - 2 * kDay + kThreeAm * kMinute;
  EXPECT_EQ(NextBackupMs(noon, kThreeAm, two_days_ago), noon);
  // No backup ever: now.
  EXPECT_EQ(NextBackupMs(noon, kThreeAm, std::nullopt), noon);
}

TEST(BackupScheduleTest, KeepsTheNewestAndIgnoresOtherFiles) {
  std::vector<std::string> names = {"imeiflow-20261202-030000.db", "notes.txt",
                                    "imeiflow-20261130-030000.db", "imeiflow-20261201-030000.db",
                                    "imeiflow-20261203-030000.db.partial"};
  EXPECT_EQ(BackupsToRemove(names, 2), std::vector<std::string>{"imeiflow-20261130-030000.db"});
  EXPECT_EQ(BackupsToRemove(names, 1), (std::vector<std::string>{"imeiflow-20261130-030000.db",
                                                                 "imeiflow-20261201-030000.db"}));
  EXPECT_TRUE(BackupsToRemove(names, 7).empty());
}

}  // namespace
}  // namespace imeiflow::store
