// HTTPS: the server with web.tls_cert / web.tls_key (a self-signed
// certificate made by the openssl command for the test), and the clear
// errors for TLS settings that cannot work.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <thread>

#include "store/test_database.h"
#include "web/server.h"
#include "web/web_context.h"

namespace imeiflow::web {
namespace {

class ServerTlsTest : public store::TestDatabase {
 protected:
  void SetUp() override {
    TestDatabase::SetUp();
    cert_ = (dir_ / "cert.pem").string();
    key_ = (dir_ / "key.pem").string();
    std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
        "-keyout " +
        key_ + " -out " + cert_ + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << "the openssl command is needed: " << command;
    Result<std::unique_ptr<WebContext>> web = WebContext::Create(Config(), path_, clock_);
    ASSERT_TRUE(web.ok());
    web_ = std::move(*web);
  }

  ServerOptions Options(std::string cert, std::string key) {
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.tls_cert = std::move(cert);
    options.tls_key = std::move(key);
    return options;
  }

  SystemClock clock_;
  std::unique_ptr<WebContext> web_;
  std::string cert_;
  std::string key_;
};

TEST_F(ServerTlsTest, ServesHttpsWithSecureCookies) {
  Result<std::unique_ptr<Server>> server = Server::Create(*web_, Options(cert_, key_));
  ASSERT_TRUE(server.ok()) << server.status().message();
  ASSERT_TRUE((*server)->Bind().ok());
  EXPECT_EQ((*server)->Url().rfind("https://127.0.0.1:", 0), 0u) << (*server)->Url();
  std::atomic<bool> done{false};
  std::thread run([&] {
    EXPECT_TRUE((*server)->Run().ok());
    done = true;
  });
  httplib::SSLClient client("127.0.0.1", (*server)->port());
  client.enable_server_certificate_verification(false);  // self-signed, loopback only
  httplib::Result page = client.Get("/login");
  ASSERT_TRUE(page) << httplib::to_string(page.error());
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
  EXPECT_EQ(page->get_header_value("Strict-Transport-Security"), "max-age=31536000");
  EXPECT_EQ(page->get_header_value_count("Content-Security-Policy"), 1u);
  // Plain HTTP to the TLS port gets no page.
  httplib::Client plain("127.0.0.1", (*server)->port());
  plain.set_read_timeout(2);
  httplib::Result refused = plain.Get("/login");
  EXPECT_TRUE(!refused || refused->status != 200);
  while (!done) {
    (*server)->Stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  run.join();
}

TEST_F(ServerTlsTest, BadTlsSettingsAreClearErrors) {
  Result<std::unique_ptr<Server>> only_cert = Server::Create(*web_, Options(cert_, ""));
  ASSERT_FALSE(only_cert.ok());
  EXPECT_NE(only_cert.status().message().find("set together"), std::string::npos);

  Result<std::unique_ptr<Server>> missing =
      Server::Create(*web_, Options(cert_, (dir_ / "absent.pem").string()));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("web.tls_key"), std::string::npos)
      << missing.status().message();

  Result<std::unique_ptr<Server>> swapped = Server::Create(*web_, Options(key_, cert_));
  ASSERT_FALSE(swapped.ok());
  EXPECT_NE(swapped.status().message().find("not a matching PEM certificate and key"),
            std::string::npos)
      << swapped.status().message();
}

}  // namespace
}  // namespace imeiflow::web
