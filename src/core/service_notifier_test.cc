#include "core/service_notifier.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <optional>
#include <string>

namespace imeiflow {
namespace {

// Sets NOTIFY_SOCKET for one test and puts back what was there.
class NotifySocketEnv {
 public:
  explicit NotifySocketEnv(const char* value) {
    if (const char* old = getenv("NOTIFY_SOCKET")) old_ = old;
    if (value) {
      setenv("NOTIFY_SOCKET", value, 1);
    } else {
      unsetenv("NOTIFY_SOCKET");
    }
  }
  ~NotifySocketEnv() {
    if (old_) {
      setenv("NOTIFY_SOCKET", old_->c_str(), 1);
    } else {
      unsetenv("NOTIFY_SOCKET");
    }
  }

 private:
  std::optional<std::string> old_;
};

TEST(SystemdNotifierTest, WithoutNotifySocketDoesNothing) {
  NotifySocketEnv env(nullptr);
  std::unique_ptr<ServiceNotifier> notifier = MakeSystemdNotifier();
  EXPECT_TRUE(notifier->Ready().ok());
  EXPECT_TRUE(notifier->Stopping().ok());
}

TEST(SystemdNotifierTest, SocketNobodyListensOnIsAnErrorNamingTheVariable) {
  NotifySocketEnv env("/nonexistent-dir/notify.sock");
  Status ready = MakeSystemdNotifier()->Ready();
  ASSERT_FALSE(ready.ok());
  EXPECT_EQ(ready.code(), StatusCode::kUnavailable);
  EXPECT_NE(ready.message().find("NOTIFY_SOCKET"), std::string::npos) << ready.message();
}

}  // namespace
}  // namespace imeiflow
