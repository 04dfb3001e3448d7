// The server adapter against real clients on 127.0.0.1: httplib::Client for
// ordinary requests, raw sockets where a client must misbehave (trickle its
// headers, send a chunked body, hold a stream open, leave mid-stream).
#include "web/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace imeiflow::web {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Polls `condition` until it holds or `timeout` passes; returns whether it held.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = Clock::now() + timeout;
  while (!condition()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// A server on a free port, run on its own thread until the test ends.
class ServerUnderTest {
 public:
  ServerUnderTest(HttpServerOptions options, RequestHandler handle) {
    options.host = "127.0.0.1";
    options.port = 0;
    Result<std::unique_ptr<HttpServer>> server = HttpServer::Create(
        std::move(options), std::move(handle), [this](const HttpRequest&, HttpResponse& response) {
          std::lock_guard lock(rejected_mu_);
          rejected_.push_back(response.status);
          response.SetContent("refused " + std::to_string(response.status), "text/plain");
        });
    EXPECT_TRUE(server.ok()) << server.status().message();
    if (!server.ok()) return;
    server_ = std::move(*server);
    Status bound = server_->Bind();
    EXPECT_TRUE(bound.ok()) << bound.message();
    runner_ = std::thread([this] {
      run_status_ = server_->Run();
      done_ = true;
    });
  }
  ~ServerUnderTest() { StopAndJoin(); }

  // Stops the server and waits for Run() to return.
  void StopAndJoin() {
    if (!runner_.joinable()) return;
    server_->Stop();
    runner_.join();
    EXPECT_TRUE(run_status_.ok()) << run_status_.message();
  }

  int port() const { return server_->port(); }
  HttpServer& server() { return *server_; }
  bool done() const { return done_; }
  // The statuses the reject handler saw.
  std::vector<int> rejected() {
    std::lock_guard lock(rejected_mu_);
    return rejected_;
  }

 private:
  std::mutex rejected_mu_;
  std::vector<int> rejected_;
  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
  Status run_status_;
  std::atomic<bool> done_{false};
};

// A raw TCP client to 127.0.0.1.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawClient() { Close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // Whether all of `data` was sent.
  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }
  // Reads what arrives within `timeout` into the buffer; false at EOF or error.
  bool ReadSome(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return true;
    char chunk[65536];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  // Whether the server closed the connection within `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      if (!ReadSome(50ms)) return true;
    }
    return false;
  }
  // Reads until `text` arrived (true) or the connection ends / 10 s pass.
  bool ReadUntil(std::string_view text) {
    const auto deadline = Clock::now() + 10s;
    while (buffer_.find(text) == std::string::npos) {
      if (Clock::now() > deadline || !ReadSome(50ms))
        return buffer_.find(text) != std::string::npos;
    }
    return true;
  }
  // One whole response (Content-Length or chunked); the status is 0 when
  // the connection ended first. `head`: the answer to a HEAD has no body.
  struct Response {
    int status = 0;
    std::string head;
    std::string body;
  };
  Response ReadResponse(bool head = false) {
    Response response;
    if (!ReadUntil("\r\n\r\n")) return response;
    const size_t end = buffer_.find("\r\n\r\n") + 4;
    response.head = buffer_.substr(0, end);
    buffer_.erase(0, end);
    response.status = std::stoi(response.head.substr(9, 3));
    if (head) return response;
    if (response.head.find("Transfer-Encoding: chunked") != std::string::npos) {
      while (ReadUntil("\r\n")) {
        const size_t line = buffer_.find("\r\n");
        const size_t size = std::stoul(buffer_.substr(0, line), nullptr, 16);
        while (buffer_.size() < line + 2 + size + 2 && ReadSome(50ms)) {
        }
        response.body += buffer_.substr(line + 2, size);
        buffer_.erase(0, line + 2 + size + 2);
        if (size == 0) break;
      }
      return response;
    }
    const size_t at = response.head.find("Content-Length: ");
    const size_t length = at == std::string::npos ? 0 : std::stoul(response.head.substr(at + 16));
    while (buffer_.size() < length && ReadSome(50ms)) {
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, std::min(length, buffer_.size()));
    return response;
  }
  std::string& buffer() { return buffer_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// Answers with what the server parsed, one `key=value` line per part.
void Echo(HttpRequest& request, HttpResponse& response) {
  std::string out = "method=" + request.method + "\npath=" + request.path + "\n";
  for (const auto& [k, v] : request.query) out += "query." + k + "=" + v + "\n";
  for (const auto& [k, v] : request.form) out += "form." + k + "=" + v + "\n";
  for (const auto& [k, f] : request.files) {
    out += "file." + k + "=" + f.filename + "|" + f.content_type + "|" + f.content + "\n";
  }
  out += "body=" + request.body + "\ntls=" + (request.tls ? "1" : "0") + "\n";
  response.SetContent(out, "text/plain");
}

HttpServerOptions SmallOptions() {
  HttpServerOptions options;
  options.worker_threads = 2;
  return options;
}

TEST(HttpServerTest, ParsesQueryFormMultipartAndJson) {
  ServerUnderTest server(SmallOptions(), Echo);
  httplib::Client client("127.0.0.1", server.port());
  client.set_url_encode(false);  // send the escapes as written

  auto get = client.Get("/echo/a%20b?x=1&y=two+words&x=3");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_NE(get->body.find("path=/echo/a b\n"), std::string::npos) << get->body;
  EXPECT_NE(get->body.find("query.x=1\nquery.x=3\nquery.y=two words\n"), std::string::npos);

  auto form = client.Post("/f", "imei=1+2&n=%26", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_NE(form->body.find("form.imei=1 2\nform.n=&\n"), std::string::npos) << form->body;
  EXPECT_NE(form->body.find("body=imei=1+2&n=%26\n"), std::string::npos);  // raw body kept

  httplib::MultipartFormDataItems items = {{"imei", "490154203237518", "", ""},
                                           {"file", "a,b\r\n1,2", "list.csv", "text/csv"},
                                           {"none", "", "", "application/octet-stream"}};
  auto multipart = client.Post("/m", items);
  ASSERT_TRUE(multipart);
  EXPECT_NE(multipart->body.find("form.imei=490154203237518\n"), std::string::npos)
      << multipart->body;
  EXPECT_NE(multipart->body.find("file.file=list.csv|text/csv|a,b\r\n1,2\n"), std::string::npos);
  EXPECT_NE(multipart->body.find("body=\n"), std::string::npos);

  auto json = client.Post("/j", R"({"imeis":["1"]})", "application/json");
  ASSERT_TRUE(json);
  EXPECT_NE(json->body.find(R"(body={"imeis":["1"]})"), std::string::npos);
}

TEST(HttpServerTest, KeepsAConnectionAliveForSeveralRequests) {
  ServerUnderTest server(SmallOptions(), Echo);
  RawClient client(server.port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send("GET /k?i=" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    RawClient::Response response = client.ReadResponse();
    EXPECT_EQ(response.status, 200);
    EXPECT_NE(response.body.find("query.i=" + std::to_string(i)), std::string::npos);
    EXPECT_EQ(response.head.find("Connection: close"), std::string::npos);
  }
  ASSERT_TRUE(client.Send("GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  RawClient::Response last = client.ReadResponse();
  EXPECT_EQ(last.status, 200);
  EXPECT_NE(last.head.find("Connection: close\r\n"), std::string::npos);
  EXPECT_TRUE(client.ClosedWithin(5s));
}

TEST(HttpServerTest, AcceptsALongRequestLineAndAMegabyteForm) {  // row 26
  ServerUnderTest server(SmallOptions(), Echo);
  httplib::Client client("127.0.0.1", server.port());
  const std::string imeis(20 << 10, '7');
  auto get = client.Get("/api/v1/orders?imei=" + imeis);
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_NE(get->body.find("query.imei=" + imeis + "\n"), std::string::npos);

  const std::string big(1 << 20, 'x');
  auto post =
      client.Post("/api/v1/jobs", "{\"a\":\"" + big + "\"}", "application/x-www-form-urlencoded");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200);
  EXPECT_NE(post->body.find("body={\"a\":\"" + big), std::string::npos);
}

TEST(HttpServerTest, RefusesABodyOverTheLimitWith413) {
  HttpServerOptions options = SmallOptions();
  options.body_limit_bytes = 1000;
  ServerUnderTest server(options, Echo);
  httplib::Client client("127.0.0.1", server.port());
  auto post = client.Post("/p", std::string(100'000, 'x'), "application/json");
  ASSERT_TRUE(post) << httplib::to_string(post.error());
  EXPECT_EQ(post->status, 413);
  EXPECT_EQ(post->body, "refused 413");
  EXPECT_EQ(server.rejected(), std::vector<int>{413});

  auto small = client.Post("/p", std::string(1000, 'x'), "application/json");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
}

TEST(HttpServerTest, RefusesHeadersOverTheLimitWith431) {
  HttpServerOptions options = SmallOptions();
  options.header_limit_bytes = 4096;
  ServerUnderTest server(options, Echo);
  RawClient client(server.port());
  ASSERT_TRUE(
      client.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n"));
  RawClient::Response response = client.ReadResponse();
  EXPECT_EQ(response.status, 431);
  EXPECT_EQ(response.body, "refused 431");
  EXPECT_NE(response.head.find("Connection: close"), std::string::npos);
}

TEST(HttpServerTest, RefusesAMalformedRequestOrBodyWith400) {
  ServerUnderTest server(SmallOptions(), Echo);
  RawClient garbage(server.port());
  ASSERT_TRUE(garbage.Send("NOT HTTP AT ALL\r\n\r\n"));
  EXPECT_EQ(garbage.ReadResponse().status, 400);

  RawClient nul(server.port());
  ASSERT_TRUE(nul.Send("GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(nul.ReadResponse().status, 400);

  httplib::Client client("127.0.0.1", server.port());
  auto bad = client.Post("/m", "no boundary here", "multipart/form-data; boundary=zz");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST(HttpServerTest, ReadsAChunkedBodyWithinTheLimit) {
  HttpServerOptions options = SmallOptions();
  options.body_limit_bytes = 100;
  ServerUnderTest server(options, Echo);
  RawClient client(server.port());
  ASSERT_TRUE(
      client.Send("POST /c HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  RawClient::Response response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("body=hello world\n"), std::string::npos) << response.body;

  std::string too_much = "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) too_much += "a\r\n0123456789\r\n";
  ASSERT_TRUE(client.Send(too_much + "0\r\n\r\n"));
  EXPECT_EQ(client.ReadResponse().status, 413);
}

TEST(HttpServerTest, WaitsForTheBodyAfter100Continue) {
  ServerUnderTest server(SmallOptions(), Echo);
  RawClient client(server.port());
  ASSERT_TRUE(
      client.Send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                  "Expect: 100-continue\r\n\r\n"));
  ASSERT_TRUE(client.ReadUntil("HTTP/1.1 100 Continue\r\n\r\n"));
  client.buffer().clear();
  ASSERT_TRUE(client.Send("abcd"));
  RawClient::Response response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("body=abcd"), std::string::npos);
}

TEST(HttpServerTest, HeadHasNoBodyAndFramingIsTheServers) {
  ServerUnderTest server(SmallOptions(), [](HttpRequest&, HttpResponse& response) {
    response.SetContent("0123456789", "text/plain");
    response.SetHeader("Content-Length", "99");              // the server's own
    response.SetHeader("X-Forged", "a\r\nSet-Cookie: x=1");  // dropped: a line break
    response.AddHeader("Set-Cookie", "a=1");
    response.AddHeader("Set-Cookie", "b=2");
  });
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"));
  RawClient::Response head = client.ReadResponse(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_NE(head.head.find("Content-Length: 10\r\n"), std::string::npos) << head.head;
  EXPECT_EQ(head.head.find("Content-Length: 99"), std::string::npos);
  EXPECT_EQ(head.head.find("X-Forged"), std::string::npos);
  EXPECT_EQ(head.head.find("x=1"), std::string::npos);
  EXPECT_NE(head.head.find("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n"), std::string::npos);
  // Had a body followed the HEAD answer, it would now be read as the next one.
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  RawClient::Response get = client.ReadResponse();
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "0123456789");
}

// Row 1: clients trickling their headers are closed after header_timeout,
// however often a byte comes, and never hold up the others.
TEST(HttpServerTest, SlowClientsAreClosedAtTheHeaderDeadlineAndBlockNobody) {
  HttpServerOptions options = SmallOptions();
  options.header_timeout = 2s;
  ServerUnderTest server(options, Echo);
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < 32; ++i) {
    slow.push_back(std::make_unique<RawClient>(server.port()));
    ASSERT_TRUE(slow.back()->connected());
    ASSERT_TRUE(slow.back()->Send("G"));
  }
  const auto start = Clock::now();
  std::vector<bool> closed(slow.size(), false);
  auto count_closed = [&] {
    size_t n = 0;
    for (size_t i = 0; i < slow.size(); ++i) {
      if (!closed[i] && !slow[i]->ReadSome(0ms)) closed[i] = true;
      n += closed[i];
    }
    return n;
  };

  httplib::Client client("127.0.0.1", server.port());
  auto healthz = client.Get("/healthz");
  ASSERT_TRUE(healthz);
  EXPECT_EQ(healthz->status, 200);
  EXPECT_EQ(count_closed(), 0u) << "a normal request must answer while the slow ones are open";

  // A byte every 100 ms: an inactivity timeout would never fire.
  const char* rest =
      "ET /slow HTTP/1.1\r\nHost: x\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  size_t sent = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        for (size_t i = 0; i < slow.size(); ++i) {
          if (!closed[i]) slow[i]->Send(std::string(1, rest[sent % std::strlen(rest)]));
        }
        ++sent;
        std::this_thread::sleep_for(100ms);
        return count_closed() == slow.size();
      },
      15s));
  EXPECT_GE(Clock::now() - start, 1900ms);
  EXPECT_TRUE(server.rejected().empty());
}

// An endless stream: "data: n" every `interval`; counts the live ones.
struct StreamProbe {
  std::atomic<int> calls{0};
  std::mutex mu;
  std::vector<std::weak_ptr<EventStream>> streams;

  RequestHandler Handler(std::chrono::milliseconds interval, std::chrono::seconds max_duration,
                         int chunks = -1) {
    return [this, interval, max_duration, chunks](HttpRequest& request, HttpResponse& response) {
      if (request.path != "/events") return Echo(request, response);
      auto stream = std::make_shared<EventStream>();
      stream->interval = interval;
      stream->max_duration = max_duration;
      auto sent = std::make_shared<int>(0);
      stream->next = [this, sent, chunks]() -> std::optional<std::string> {
        ++calls;
        if (chunks >= 0 && *sent >= chunks) return std::nullopt;
        return "data: " + std::to_string((*sent)++) + "\n\n";
      };
      response.SetHeader("Content-Type", "text/event-stream");
      response.stream = stream;
      std::lock_guard lock(mu);
      streams.push_back(stream);
    };
  }
  size_t Live() {
    std::lock_guard lock(mu);
    size_t n = 0;
    for (auto& s : streams) n += !s.expired();
    return n;
  }
};

constexpr char kEventsRequest[] = "GET /events HTTP/1.1\r\nHost: x\r\n\r\n";

// Row 2: open streams hold no worker; they end when the client leaves.
TEST(HttpServerTest, ManyOpenStreamsLeaveTheServerAnswering) {
  for (int count : {32, 64}) {
    StreamProbe probe;
    ServerUnderTest server(SmallOptions(), probe.Handler(100ms, 120s));
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < count; ++i) {
      clients.push_back(std::make_unique<RawClient>(server.port()));
      ASSERT_TRUE(clients.back()->Send(kEventsRequest));
    }
    for (auto& client : clients) {
      ASSERT_TRUE(client->ReadUntil("data: 1\n\n")) << client->buffer();
      EXPECT_NE(client->buffer().find("Transfer-Encoding: chunked"), std::string::npos);
    }
    httplib::Client plain("127.0.0.1", server.port());
    auto answer = plain.Get("/healthz");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(probe.Live(), static_cast<size_t>(count)) << "streams end only when told";

    for (auto& client : clients) client->Close();
    EXPECT_TRUE(WaitFor([&] { return probe.Live() == 0; })) << "left streams must be dropped";
    const int calls = probe.calls;
    // A stream whose client left is never asked again: another stream's
    // chunks still flow meanwhile, so the count settling is not a pause.
    RawClient witness(server.port());
    ASSERT_TRUE(witness.Send(kEventsRequest));
    ASSERT_TRUE(witness.ReadUntil("data: 3\n\n"));
    EXPECT_LE(probe.calls, calls + 5);
  }
}

TEST(HttpServerTest, AStreamEndsWhenNextSaysSo) {
  StreamProbe probe;
  ServerUnderTest server(SmallOptions(), probe.Handler(10ms, 120s, /*chunks=*/3));
  RawClient client(server.port());
  ASSERT_TRUE(client.Send(kEventsRequest));
  RawClient::Response response = client.ReadResponse();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "data: 0\n\ndata: 1\n\ndata: 2\n\n");
  EXPECT_TRUE(client.ClosedWithin(5s));
  EXPECT_TRUE(WaitFor([&] { return probe.Live() == 0; }));
}

TEST(HttpServerTest, AStreamEndsAtItsMaxDuration) {
  StreamProbe probe;
  ServerUnderTest server(SmallOptions(), probe.Handler(100ms, 1s));
  RawClient client(server.port());
  const auto start = Clock::now();
  ASSERT_TRUE(client.Send(kEventsRequest));
  RawClient::Response response = client.ReadResponse();  // returns at the final chunk
  EXPECT_EQ(response.status, 200);
  EXPECT_GE(Clock::now() - start, 900ms);
  EXPECT_NE(response.body.find("data: 3\n\n"), std::string::npos);
  EXPECT_TRUE(client.ClosedWithin(5s));
}

TEST(HttpServerTest, AStreamOutlivesTheBodyTimeout) {
  StreamProbe probe;
  HttpServerOptions options = SmallOptions();
  options.body_timeout = 200ms;  // bounds each write, not the stream
  ServerUnderTest server(options, probe.Handler(100ms, 120s));
  RawClient client(server.port());
  ASSERT_TRUE(client.Send(kEventsRequest));
  EXPECT_TRUE(client.ReadUntil("data: 6\n\n")) << client.buffer();
}

TEST(HttpServerTest, StopEndsStreamsAndLetsRequestsInProgressFinish) {
  StreamProbe probe;
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false;
  bool release = false;
  RequestHandler streams = probe.Handler(100ms, 120s);
  ServerUnderTest server(SmallOptions(), [&](HttpRequest& request, HttpResponse& response) {
    if (request.path != "/slow") return streams(request, response);
    std::unique_lock lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    response.SetContent("finished", "text/plain");
  });
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(std::make_unique<RawClient>(server.port()));
    ASSERT_TRUE(clients.back()->Send(kEventsRequest));
    ASSERT_TRUE(clients.back()->ReadUntil("data: 0\n\n"));
  }
  RawClient idle(server.port());
  ASSERT_TRUE(idle.connected());
  RawClient slow(server.port());
  ASSERT_TRUE(slow.Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return entered; }));
  }
  server.server().Stop();
  for (auto& client : clients) EXPECT_TRUE(client->ClosedWithin(5s));
  EXPECT_TRUE(idle.ClosedWithin(5s));
  EXPECT_FALSE(server.done()) << "Run() returns only once the request in progress is answered";
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  RawClient::Response answer = slow.ReadResponse();
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "finished");
  EXPECT_NE(answer.head.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(WaitFor([&] { return server.done(); }, 5s));
  server.StopAndJoin();
}

TEST(HttpServerTest, ASecondServerOnTheSamePortFailsAddressInUse) {  // row 7
  ServerUnderTest first(SmallOptions(), Echo);
  HttpServerOptions options = SmallOptions();
  options.host = "127.0.0.1";
  options.port = first.port();
  Result<std::unique_ptr<HttpServer>> second =
      HttpServer::Create(options, Echo, [](const HttpRequest&, HttpResponse&) {});
  ASSERT_TRUE(second.ok());
  Status bound = (*second)->Bind();
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.message().find("address in use"), std::string::npos) << bound.message();
  EXPECT_NE(bound.message().find(std::to_string(first.port())), std::string::npos);
}

TEST(HttpServerTest, RefusesConnectionsBeyondTheLimitPerAddress) {
  HttpServerOptions options = SmallOptions();
  options.max_connections_per_address = 2;
  ServerUnderTest server(options, Echo);
  RawClient a(server.port());
  RawClient b(server.port());
  for (RawClient* client : {&a, &b}) {
    ASSERT_TRUE(client->Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(client->ReadResponse().status, 200);
  }
  RawClient extra(server.port());
  EXPECT_TRUE(extra.ClosedWithin(5s));
  for (RawClient* client : {&a, &b}) {
    ASSERT_TRUE(client->Send("GET /y HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(client->ReadResponse().status, 200);
  }
  a.Close();
  EXPECT_TRUE(WaitFor([&] {
    RawClient again(server.port());
    again.Send("GET /z HTTP/1.1\r\nHost: x\r\n\r\n");
    return again.ReadResponse().status == 200;
  })) << "a closed connection frees its place";
}

TEST(HttpServerTest, ClosesAnIdleKeptAliveConnection) {
  HttpServerOptions options = SmallOptions();
  options.idle_timeout = 300ms;
  ServerUnderTest server(options, Echo);
  RawClient client(server.port());
  ASSERT_TRUE(client.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_EQ(client.ReadResponse().status, 200);
  EXPECT_TRUE(client.ClosedWithin(5s));
}

TEST(HttpServerTest, AHandlerThatThrowsAnswers500) {
  ServerUnderTest server(SmallOptions(),
                         [](HttpRequest&, HttpResponse&) { throw std::runtime_error("boom"); });
  httplib::Client client("127.0.0.1", server.port());
  auto answer = client.Get("/");
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 500);
  EXPECT_EQ(answer->body, "refused 500");
}

TEST(HttpServerTest, ConnectionsBeyondTheTotalWaitForAPlace) {
  HttpServerOptions options = SmallOptions();
  options.max_connections = 2;
  ServerUnderTest server(options, Echo);
  RawClient a(server.port());
  RawClient b(server.port());
  for (RawClient* client : {&a, &b}) {
    ASSERT_TRUE(client->Send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(client->ReadResponse().status, 200);
  }
  RawClient waiting(server.port());  // in the kernel's backlog, not refused
  ASSERT_TRUE(waiting.Send("GET /w HTTP/1.1\r\nHost: x\r\n\r\n"));
  a.Close();
  RawClient::Response answer = waiting.ReadResponse();
  EXPECT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find("path=/w"), std::string::npos);
}

// Row 16: what the server logs of a path never forges a line.
TEST(HttpServerTest, LogsPathsWithControlCharactersEscaped) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "http_test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  logger->set_level(spdlog::level::debug);
  spdlog::set_default_logger(logger);
  {
    ServerUnderTest server(SmallOptions(),
                           [](HttpRequest&, HttpResponse&) { throw std::runtime_error("boom"); });
    RawClient client(server.port());
    ASSERT_TRUE(client.Send("GET /a%0a[error]%20forged%1b HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(client.ReadResponse().status, 500);
  }
  spdlog::set_default_logger(previous);
  const std::string text = log.str();
  EXPECT_NE(text.find("/a\\x0a[error] forged\\x1b"), std::string::npos) << text;
  EXPECT_EQ(text.find("\n[error]"), std::string::npos) << text;
}

class HttpServerTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("imeiflow_http_tls_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    key_ = (dir_ / "key.pem").string();
    cert_ = (dir_ / "cert.pem").string();
    const std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout " + key_ +
        " -out " + cert_ + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << "the openssl command is needed: " << command;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string key_;
  std::string cert_;
};

TEST_F(HttpServerTlsTest, AnswersOverHttps) {
  HttpServerOptions options = SmallOptions();
  options.tls_cert = cert_;
  options.tls_key = key_;
  ServerUnderTest server(options, Echo);
  EXPECT_TRUE(server.server().tls());
  httplib::SSLClient client("127.0.0.1", server.port());
  client.enable_server_certificate_verification(false);  // self-signed, loopback only
  auto answer = client.Get("/secure?x=1");
  ASSERT_TRUE(answer) << httplib::to_string(answer.error());
  EXPECT_EQ(answer->status, 200);
  EXPECT_NE(answer->body.find("tls=1"), std::string::npos);
  EXPECT_NE(answer->body.find("query.x=1"), std::string::npos);
  auto again = client.Post("/secure", "a=1", "application/x-www-form-urlencoded");
  ASSERT_TRUE(again);
  EXPECT_NE(again->body.find("form.a=1"), std::string::npos);
}

TEST_F(HttpServerTlsTest, BadTlsFilesAreClearErrors) {
  auto create = [](std::string cert, std::string key) {
    HttpServerOptions options;
    options.tls_cert = std::move(cert);
    options.tls_key = std::move(key);
    return HttpServer::Create(options, Echo, [](const HttpRequest&, HttpResponse&) {});
  };
  EXPECT_NE(create(cert_, "").status().message().find("set together"), std::string::npos);
  EXPECT_NE(create(cert_, (dir_ / "absent.pem").string()).status().message().find("web.tls_key"),
            std::string::npos);
  EXPECT_NE(create(key_, cert_).status().message().find("not a matching PEM certificate and key"),
            std::string::npos);
}

}  // namespace
}  // namespace imeiflow::web
