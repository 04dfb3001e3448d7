// CurlTransport against a scripted HTTP/1.1 server on 127.0.0.1 (raw sockets,
// so that a test can drop a kept-alive connection exactly where libcurl
// would otherwise resend). The simulated supplier is exercised in
// tests/integration/gsmfusion_client_test.cc.
#include "upstream/http/curl_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace imeiflow::upstream {
namespace {

// What the server does with the n-th request (0-based, over all connections).
enum class Act { kAnswer, kCloseWithoutAnswer, kHang };
struct Reply {
  Act act = Act::kAnswer;
  std::string raw;  // kAnswer: the full HTTP response
};

std::string Answer(int status, std::string body, std::string extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) +
         " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" +
         body;
}

class ScriptedServer {
 public:
  // `greeting`: bytes written as soon as a connection is accepted.
  explicit ScriptedServer(std::function<Reply(int)> script, std::string greeting = "")
      : script_(std::move(script)), greeting_(std::move(greeting)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listener_, 64);
    socklen_t len = sizeof addr;
    getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { AcceptLoop(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    shutdown(listener_, SHUT_RDWR);
    close(listener_);
    acceptor_.join();
    for (auto& t : connections_) t.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api"; }
  int requests() const { return requests_; }
  int connections() const { return connection_count_; }
  std::vector<std::string> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  void AcceptLoop() {
    while (!stop_) {
      pollfd p{listener_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int fd = accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connection_count_;
      connections_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  // Reads one request; false when the peer closed or the test ends.
  bool ReadRequest(int fd, std::string& buffer, std::string& body) {
    while (true) {
      size_t end = buffer.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        size_t at = buffer.find("Content-Length: ");
        if (at != std::string::npos && at < end) length = std::stoul(buffer.substr(at + 16));
        if (buffer.size() >= end + 4 + length) {
          body = buffer.substr(end + 4, length);
          buffer.erase(0, end + 4 + length);
          return true;
        }
      }
      pollfd p{fd, POLLIN, 0};
      if (stop_) return false;
      if (poll(&p, 1, 50) <= 0) continue;
      char chunk[4096];
      ssize_t n = read(fd, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
    }
  }

  void Serve(int fd) {
    if (!greeting_.empty() && write(fd, greeting_.data(), greeting_.size()) < 0) {
      close(fd);
      return;
    }
    std::string buffer, body;
    while (ReadRequest(fd, buffer, body)) {
      int n = requests_++;
      {
        std::lock_guard lock(mu_);
        bodies_.push_back(body);
      }
      Reply reply = script_(n);
      if (reply.act == Act::kCloseWithoutAnswer) break;
      if (reply.act == Act::kHang) {
        while (!stop_) usleep(10'000);
        break;
      }
      // MSG_NOSIGNAL: a client that stops reading early must not kill the test with SIGPIPE.
      if (send(fd, reply.raw.data(), reply.raw.size(), MSG_NOSIGNAL) < 0) break;
    }
    close(fd);
  }

  std::function<Reply(int)> script_;
  std::string greeting_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> connection_count_{0};
  std::thread acceptor_;
  std::vector<std::thread> connections_;
  std::mutex mu_;
  std::vector<std::string> bodies_;
};

HttpRequest Post(const std::string& url,
                 std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  HttpRequest r;
  r.url = url;
  r.form = {{"apiKey", "K&=1"}, {"action", "placeorder"}, {"imei", "1,2"}};
  r.total_timeout = timeout;
  return r;
}

TEST(CurlTransport, PostsUrlencodedFormAndReusesTheConnection) {
  ScriptedServer server([](int) { return Reply{Act::kAnswer, Answer(200, "<ok/>")}; });
  CurlTransport transport;
  for (int i = 0; i < 20; ++i) {
    HttpResponse r = transport.Call(Post(server.url()));
    ASSERT_EQ(r.error, TransportError::kNone) << r.error_message;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "<ok/>");
  }
  EXPECT_EQ(server.bodies()[0], "apiKey=K%26%3D1&action=placeorder&imei=1%2C2");
  EXPECT_EQ(server.connections(), 1);
  EXPECT_EQ(transport.connections_opened(), 1);
}

// The exactly-once hazard: the kept-alive connection dies after the server
// read (and, for a supplier, acted on) the request. libcurl would resend it
// on a new connection; the transport must refuse and report it.
TEST(CurlTransport, NeverResendsWhenAReusedConnectionDies) {
  ScriptedServer server([](int n) {
    return n == 1 ? Reply{Act::kCloseWithoutAnswer, ""} : Reply{Act::kAnswer, Answer(200, "ok")};
  });
  CurlTransport transport;
  ASSERT_EQ(transport.Call(Post(server.url())).status, 200);
  HttpResponse r = transport.Call(Post(server.url()));
  EXPECT_EQ(r.error, TransportError::kRewindRefused) << r.error_message;
  EXPECT_TRUE(r.request_may_have_reached_server);
  EXPECT_EQ(server.requests(), 2);  // the second request went out once, not twice
}

TEST(CurlTransport, RefusedConnectionSentNothing) {
  int port;
  {
    ScriptedServer closed([](int) { return Reply{}; });
    port = std::stoi(closed.url().substr(17));
  }
  CurlTransport transport;
  HttpResponse r = transport.Call(Post("http://127.0.0.1:" + std::to_string(port) + "/api"));
  EXPECT_EQ(r.error, TransportError::kCannotConnect);
  EXPECT_FALSE(r.request_may_have_reached_server);
  EXPECT_EQ(r.status, 0);
}

TEST(CurlTransport, TimeoutAfterSendingMayHaveReachedTheServer) {
  ScriptedServer server([](int) { return Reply{Act::kHang, ""}; });
  CurlTransport transport;
  HttpResponse r = transport.Call(Post(server.url(), std::chrono::milliseconds(300)));
  EXPECT_EQ(r.error, TransportError::kTimedOut);
  EXPECT_TRUE(r.request_may_have_reached_server);
  EXPECT_EQ(server.requests(), 1);
}

std::string Gzip(const std::string& text) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(text.size() + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(CurlTransport, DecodesGzipChunkedAnswers) {
  std::string xml = "<result><imeis><id>1</id></imeis></result>";
  std::string gz = Gzip(xml);
  char size[16];
  snprintf(size, sizeof size, "%zx", gz.size());
  std::string raw =
      "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" +
      std::string(size) + "\r\n" + gz + "\r\n0\r\n\r\n";
  ScriptedServer server([raw](int) { return Reply{Act::kAnswer, raw}; });
  CurlTransport transport;
  HttpResponse r = transport.Call(Post(server.url()));
  ASSERT_EQ(r.error, TransportError::kNone) << r.error_message;
  EXPECT_EQ(r.body, xml);
}

TEST(CurlTransport, BrokenGzipIsABadAnswer) {
  ScriptedServer server([](int) {
    return Reply{Act::kAnswer, Answer(200, "not gzip at all", "Content-Encoding: gzip\r\n")};
  });
  CurlTransport transport;
  HttpResponse r = transport.Call(Post(server.url()));
  EXPECT_EQ(r.error, TransportError::kBadAnswer);
  EXPECT_TRUE(r.request_may_have_reached_server);
}

TEST(CurlTransport, KeepsRetryAfterAndStatus) {
  ScriptedServer server([](int) {
    return Reply{Act::kAnswer, Answer(429, "", "Retry-After: 12\r\n")};
  });
  CurlTransport transport;
  HttpResponse r = transport.Call(Post(server.url()));
  EXPECT_EQ(r.error, TransportError::kNone);
  EXPECT_EQ(r.status, 429);
  ASSERT_TRUE(r.retry_after);
  EXPECT_EQ(*r.retry_after, "12");
}

TEST(CurlTransport, OversizedAnswerIsRefused) {
  ScriptedServer server([](int) {
    return Reply{Act::kAnswer, Answer(200, std::string(5000, 'x'))};
  });
  CurlTransportOptions options;
  options.max_body_bytes = 1000;
  CurlTransport transport(options);
  HttpResponse r = transport.Call(Post(server.url()));
  EXPECT_EQ(r.error, TransportError::kTooLarge);
  EXPECT_EQ(r.error_message, "the supplier's answer is larger than 1000 bytes");
}

// Attack-run row 24: a supplier's 60 MB answer was read in full.
TEST(CurlTransport, AnswersAreBoundedBy16MbByDefault) {
  ScriptedServer server([](int n) {
    size_t size = n == 0 ? kDefaultMaxBodyBytes : kDefaultMaxBodyBytes + 1;
    return Reply{Act::kAnswer, Answer(200, std::string(size, 'x'))};
  });
  CurlTransport transport;
  HttpResponse fits = transport.Call(Post(server.url()));
  ASSERT_EQ(fits.error, TransportError::kNone) << fits.error_message;
  EXPECT_EQ(fits.body.size(), 16u * 1024 * 1024);

  HttpResponse r = transport.Call(Post(server.url()));
  EXPECT_EQ(r.error, TransportError::kTooLarge);
  EXPECT_EQ(r.error_message, "the supplier's answer is larger than 16 MB");
  EXPECT_TRUE(r.request_may_have_reached_server);  // a placeorder may have been placed
  EXPECT_TRUE(r.body.size() <= kDefaultMaxBodyBytes);
}

// The bound holds for the decoded answer, so a small gzip bomb stays small.
TEST(CurlTransport, GzipBombIsBoundedAfterDecoding) {
  std::string bomb = Gzip(std::string(3000, 'x'));  // 3000 bytes once decoded
  ScriptedServer server([bomb](int) {
    return Reply{Act::kAnswer, Answer(200, bomb, "Content-Encoding: gzip\r\n")};
  });
  CurlTransportOptions options;
  options.max_body_bytes = 1024;
  CurlTransport transport(options);
  HttpResponse r = transport.Call(Post(server.url()));
  EXPECT_EQ(r.error, TransportError::kTooLarge);
  EXPECT_EQ(r.error_message, "the supplier's answer is larger than 1 KB");
}

// Attack-run row 23: the URL's user-info never reaches an error message.
TEST(CurlTransport, ErrorsNeverCarryTheUrlsUserInfo) {
  int port;
  {
    ScriptedServer closed([](int) { return Reply{}; });
    port = std::stoi(closed.url().substr(17));
  }
  CurlTransport transport;
  for (std::string url : {"http://shop:S3cretPassw0rd@127.0.0.1:" + std::to_string(port) + "/api",
                          std::string("http://shop:S3cretPassw0rd@127.0.0.1:99999/api")}) {
    HttpResponse r = transport.Call(Post(url));
    EXPECT_NE(r.error, TransportError::kNone);
    EXPECT_FALSE(r.error_message.empty());
    EXPECT_EQ(r.error_message.find("S3cretPassw0rd"), std::string::npos) << r.error_message;
  }
}

TEST(CurlTransport, ManyRequestsInFlightOnOneThread) {
  ScriptedServer server([](int n) { return Reply{Act::kAnswer, Answer(200, std::to_string(n))}; });
  CurlTransport transport;
  int done = 0;
  for (int i = 0; i < 32; ++i) {
    transport.Start(Post(server.url()), [&done](HttpResponse r) { done += r.status == 200; });
  }
  EXPECT_EQ(transport.InFlight(), 32u);
  while (transport.InFlight() > 0) transport.Pump(std::chrono::milliseconds(100));
  EXPECT_EQ(done, 32);
  EXPECT_EQ(server.requests(), 32);
}

TEST(CurlTransport, FailedTlsHandshakeSentNothing) {
  // Plain HTTP bytes where a TLS ServerHello belongs: the handshake fails.
  ScriptedServer server([](int) { return Reply{}; }, Answer(400, "plain http"));
  CurlTransport transport;
  std::string url = server.url();
  url.replace(0, 4, "https");
  HttpResponse r = transport.Call(Post(url));
  EXPECT_EQ(r.error, TransportError::kCannotConnect) << r.error_message;
  EXPECT_FALSE(r.request_may_have_reached_server);
  EXPECT_EQ(server.requests(), 0);
}

TEST(CurlTransport, ConnectTimeoutSentNothing) {
  // The server never answers the TLS ClientHello: the connect phase times out.
  ScriptedServer server([](int) { return Reply{}; });
  CurlTransport transport;
  HttpRequest request = Post("https" + server.url().substr(4));
  request.connect_timeout = std::chrono::milliseconds(300);
  HttpResponse r = transport.Call(request);
  EXPECT_EQ(r.error, TransportError::kTimedOut) << r.error_message;
  EXPECT_FALSE(r.request_may_have_reached_server);
}

}  // namespace
}  // namespace imeiflow::upstream
