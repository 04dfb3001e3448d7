#include "store/dispatcher_lock.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "store/test_database.h"

namespace imeiflow::store {
namespace {

using DispatcherLockTest = TestDatabase;

TEST_F(DispatcherLockTest, OnlyOneHolderAtATime) {
  Result<std::unique_ptr<DispatcherLock>> first = DispatcherLock::Acquire(path_);
  ASSERT_TRUE(first.ok()) << first.status().message();
  Result<std::unique_ptr<DispatcherLock>> second = DispatcherLock::Acquire(path_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find(fmt::format("process {}", getpid())), std::string::npos)
      << second.status().message();
  first->reset();
  EXPECT_TRUE(DispatcherLock::Acquire(path_).ok());
}

TEST_F(DispatcherLockTest, AKilledHolderReleasesAtOnce) {
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto lock = DispatcherLock::Acquire(path_);
    char ok = lock.ok() ? '1' : '0';
    (void)!write(ready[1], &ok, 1);
    pause();
    _exit(0);
  }
  char ok = 0;
  ASSERT_EQ(read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, '1');
  EXPECT_FALSE(DispatcherLock::Acquire(path_).ok());
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_TRUE(DispatcherLock::Acquire(path_).ok());
  close(ready[0]);
  close(ready[1]);
}

}  // namespace
}  // namespace imeiflow::store
