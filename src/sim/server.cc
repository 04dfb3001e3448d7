#include "sim/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "sim/answers.h"
#include "sim/connection_reset.h"
#include "sim/dhru_api.h"
#include "sim/gzip.h"

namespace imeiflow::sim {
namespace {

constexpr const char* kXmlType = "application/xml";
// httplib compresses chunked "application/xml" streams on its own; a
// parameterised type is left alone.
constexpr const char* kXmlTypeChunked = "application/xml; charset=utf-8";
constexpr const char* kJsonType = "application/json";
constexpr const char* kJsonTypeChunked = "application/json; charset=utf-8";
constexpr int kListenBacklog = 1024;

// A form field from either body encoding (urlencoded -> params, multipart -> files).
std::string Field(const httplib::Request& req, const char* key) {
  if (req.has_param(key)) return req.get_param_value(key);
  if (req.has_file(key)) return req.get_file_value(key).content;
  return {};
}

std::string Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = Trim(std::string_view(text).substr(start, comma - start));
    if (!item.empty()) items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

// Counts a call in progress for as long as it lives.
class InProgress {
 public:
  explicit InProgress(SimStats& stats) : stats_(stats) {
    value_ = ++stats_.in_progress;
    int64_t seen = stats_.max_in_progress.load();
    while (value_ > seen && !stats_.max_in_progress.compare_exchange_weak(seen, value_)) {
    }
  }
  ~InProgress() { --stats_.in_progress; }
  int64_t value() const { return value_; }

 private:
  SimStats& stats_;
  int64_t value_;
};

// A body of known size. httplib never compresses these on its own, so
// every encoding decision stays the simulator's.
void SetSizedBody(httplib::Response& res, std::shared_ptr<std::string> body, const char* type) {
  size_t size = body->size();
  res.set_content_provider(size, type,
                           [body](size_t offset, size_t length, httplib::DataSink& sink) {
                             sink.write(body->data() + offset, length);
                             return true;
                           });
}

Status Validate(const SimOptions& o) {
  auto bad_probability = [](double p) { return !(p >= 0 && p <= 1); };
  const FaultOptions& f = o.faults;
  if (bad_probability(f.http500) || bad_probability(f.http503) || bad_probability(f.reset) ||
      bad_probability(f.hang) || bad_probability(f.phpxml) || bad_probability(f.omit) ||
      bad_probability(f.html) || bad_probability(o.dhru.bulk_drop) ||
      bad_probability(o.reject_ratio)) {
    return Status::InvalidArgument("fault probabilities and the reject ratio must be in 0..1");
  }
  if (o.latency_ms < 0 || o.jitter_ms < 0 || f.hang_ms < 0 || o.process_after_ms < 0 ||
      o.max_concurrent < 0) {
    return Status::InvalidArgument("durations and limits must not be negative");
  }
  if (o.complete_after_ms < o.process_after_ms) {
    return Status::InvalidArgument("complete-after must not be shorter than process-after");
  }
  if (o.dhru.account_key != "AccoutInfo" && o.dhru.account_key != "AccountInfo") {
    return Status::InvalidArgument("the accountinfo key must be AccoutInfo or AccountInfo");
  }
  if (o.threads < 0) return Status::InvalidArgument("threads must not be negative");
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SimServer>> SimServer::Create(const SimOptions& options,
                                                     const SimClock* clock) {
  if (Status valid = Validate(options); !valid.ok()) return valid;
  Catalogue catalogue = Catalogue::BuiltIn();
  if (!options.services_file.empty()) {
    auto loaded = Catalogue::LoadFile(options.services_file);
    if (!loaded.ok()) return loaded.status();
    catalogue = std::move(*loaded);
  }
  std::unique_ptr<Ledger> ledger;
  if (!options.ledger_file.empty()) {
    auto opened = Ledger::Open(options.ledger_file);
    if (!opened.ok()) return opened.status();
    ledger = std::move(*opened);
  }
  return std::unique_ptr<SimServer>(
      new SimServer(options, std::move(catalogue), std::move(ledger), clock));
}

SimServer::SimServer(const SimOptions& options, Catalogue catalogue, std::unique_ptr<Ledger> ledger,
                     const SimClock* clock)
    : options_(options),
      catalogue_(std::move(catalogue)),
      ledger_(std::move(ledger)),
      clock_(clock != nullptr ? *clock : system_clock_),
      faults_(options.faults, options.seed),
      jitter_state_(options.seed * 0x9E3779B97F4A7C15ULL + 1) {
  OrderBookSettings settings;
  settings.batch = options.batch;
  settings.duplicates = options.duplicates;
  settings.process_after = std::chrono::milliseconds(options.process_after_ms);
  settings.complete_after = std::chrono::milliseconds(options.complete_after_ms);
  settings.reject_ratio = options.reject_ratio;
  settings.seed = options.seed;
  if (options.balance) settings.balance_cents = options.balance->cents();
  book_ = std::make_unique<OrderBook>(settings, clock_);
  if (options.protocol == Protocol::kDhru) {
    dhru_catalogue_ = std::make_unique<DhruCatalogue>(catalogue_);
    dhru_ = std::make_unique<DhruApi>(options_, *dhru_catalogue_, *book_, faults_, stats_);
  }
}

SimServer::~SimServer() { Stop(); }

std::string SimServer::url() const {
  bool ipv6 = options_.host.find(':') != std::string::npos;
  std::string host = ipv6 ? "[" + options_.host + "]" : options_.host;
  return fmt::format("http://{}:{}", host, port_);
}

Status SimServer::Start() {
  signal(SIGPIPE, SIG_IGN);
  http_ = std::make_unique<httplib::Server>();
  size_t threads = static_cast<size_t>(
      options_.threads > 0 ? options_.threads : std::max(256, options_.max_concurrent + 64));
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_socket_options([this](int fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_fd_ = fd;
  });
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_max_count(1000000);
  http_->set_payload_max_length(16 << 20);
  auto api = [this](const httplib::Request& req, httplib::Response& res) { HandleApi(req, res); };
  if (dhru_) {
    http_->Post(kDhruApiPath, api);
    http_->Get(kDhruApiPath, api);
  } else {
    http_->Post(kApiPath, api);
  }
  http_->Get("/sim/stats", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(stats_.ToJson(book_->Totals()), "application/json");
  });
  http_->Post("/sim/credit", [this](const httplib::Request& req, httplib::Response& res) {
    auto amount = Money::Parse(Field(req, "amount"));
    if (!amount.ok()) {
      res.status = 400;
      res.set_content("amount: " + amount.status().message() + "\n", "text/plain");
      return;
    }
    book_->AddCredit(amount->cents());
    res.set_content(stats_.ToJson(book_->Totals()), "application/json");
  });

  bool bound = options_.port == 0 ? (port_ = http_->bind_to_any_port(options_.host)) > 0
                                  : http_->bind_to_port(options_.host, options_.port);
  if (!bound) {
    return Status::Unavailable(fmt::format("cannot listen on {}:{}", options_.host, options_.port));
  }
  if (options_.port != 0) port_ = options_.port;
  // httplib listens with a backlog of 5; bursts of new connections need more.
  if (listen_fd_ >= 0) ::listen(listen_fd_, kListenBacklog);
  {
    std::lock_guard lock(stop_mu_);
    stopping_ = false;
  }
  running_ = true;
  listener_ = std::thread([this] { http_->listen_after_bind(); });
  // httplib's stop() is a no-op until its accept loop runs: wait for it, so
  // a Stop() right after Start() cannot leave the listener running.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!http_->is_running()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return Status::Internal("the HTTP server did not start within 10 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return Status::Ok();
}

void SimServer::Stop() {
  if (!running_) return;
  {
    std::lock_guard lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  http_->stop();
  // Workers idle in keep-alive waits would otherwise hold the stop for up
  // to the keep-alive timeout.
  ShutdownReadsOnPort(port_);
  if (listener_.joinable()) listener_.join();
  running_ = false;
}

bool SimServer::Sleep(int64_t ms) {
  if (ms <= 0) return true;
  std::unique_lock lock(stop_mu_);
  return !stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

std::string_view SimServer::Prolog(const FaultDecision& fault) {
  if (!fault.phpxml) return kXmlProlog;
  ++stats_.fault_phpxml;
  return kPhpXmlProlog;
}

void SimServer::HandleApi(const httplib::Request& req, httplib::Response& res) {
  InProgress in_progress(stats_);
  ++stats_.calls_total;
  int64_t call_id = next_call_id_++;
  res.set_header("X-Sim-Call-Id", std::to_string(call_id));
  if (options_.max_concurrent > 0 && in_progress.value() > options_.max_concurrent) {
    ++stats_.rejected_429;
    res.status = 429;
    res.set_header("Retry-After", "1");
    SetSizedBody(res, std::make_shared<std::string>("Too Many Requests\n"), "text/plain");
    return;
  }
  int64_t delay = options_.latency_ms;
  if (options_.jitter_ms > 0) {
    std::lock_guard lock(jitter_mu_);
    jitter_state_ = jitter_state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    delay += static_cast<int64_t>((jitter_state_ >> 33) % (options_.jitter_ms + 1));
  }
  if (!Sleep(delay)) {
    SendHtml(res, 503, "Service Unavailable");
    return;
  }
  Dispatch(req, res, call_id);
}

void SimServer::Dispatch(const httplib::Request& req, httplib::Response& res, int64_t call_id) {
  if (dhru_) return DispatchDhru(req, res, call_id);
  std::string action = Field(req, "action");
  if (action == "placeorder") {
    ++stats_.calls_placeorder;
    PlaceOrder(req, res, call_id);
    return;
  }
  FaultDecision fault = faults_.DrawForOtherCall();
  if (fault.kind == FaultKind::kHtml) {
    ++stats_.fault_html_uncommitted;
    return SendHtml(res, 200, "Database Error");
  }
  if (Field(req, "userId") != options_.user) {
    ++stats_.auth_failures;
    return SendXml(req, res, ErrorXml(Prolog(fault), "Invalid User!"));
  }
  if (Field(req, "apiKey") != options_.api_key) {
    ++stats_.auth_failures;
    return SendXml(req, res, ErrorXml(Prolog(fault), "Invalid API Key!"));
  }
  if (action == "imeiservices") {
    ++stats_.calls_imeiservices;
    return SendXml(req, res, PackagesXml(Prolog(fault), catalogue_.services()));
  }
  if (action == "fileservices" || action == "serverservices") {
    ++stats_.calls_imeiservices;  // this supplier sells IMEI services only
    return SendXml(req, res, PackagesXml(Prolog(fault), {}));
  }
  if (action == "getimeis") {
    ++stats_.calls_getimeis;
    return GetImeis(req, res, fault);
  }
  ++stats_.calls_other;
  SendXml(req, res, ErrorXml(Prolog(fault), "Invalid Action!"));
}

void SimServer::PlaceOrder(const httplib::Request& req, httplib::Response& res, int64_t call_id) {
  FaultDecision fault = faults_.DrawForPlaceOrder();
  if (fault.kind == FaultKind::kHttp503) {
    ++stats_.fault_503;
    res.set_header("Retry-After", "2");
    return SendHtml(res, 503, "Service Temporarily Unavailable");
  }
  if (fault.kind == FaultKind::kHttp500 && !fault.commit_first) {
    ++stats_.fault_500_uncommitted;
    return SendHtml(res, 500, "Internal Server Error");
  }
  if (fault.kind == FaultKind::kHtml && !fault.commit_first) {
    ++stats_.fault_html_uncommitted;
    return SendHtml(res, 200, "Database Error");
  }
  std::string_view prolog = Prolog(fault);
  if (Field(req, "userId") != options_.user) {
    ++stats_.auth_failures;
    return SendXml(req, res, ErrorXml(prolog, "Invalid User!"));
  }
  if (Field(req, "apiKey") != options_.api_key) {
    ++stats_.auth_failures;
    return SendXml(req, res, ErrorXml(prolog, "Invalid API Key!"));
  }
  std::vector<std::string> imeis = SplitList(Field(req, "imei"));
  if (imeis.empty()) return SendXml(req, res, ErrorXml(prolog, "IMEI is required!"));
  std::string network_id = Trim(Field(req, "networkId"));
  if (network_id.empty()) return SendXml(req, res, ErrorXml(prolog, "Network ID is required!"));
  const Service* service = catalogue_.Find(network_id);
  if (service == nullptr) return SendXml(req, res, ErrorXml(prolog, "Invalid Network ID!"));

  PlaceOutcome outcome = book_->Place(*service, imeis, call_id);
  stats_.orders_created += static_cast<int64_t>(outcome.created.size());
  stats_.duplicates_refused += static_cast<int64_t>(outcome.duplicates.size());
  stats_.invalid_imeis += static_cast<int64_t>(outcome.invalid.size());
  stats_.batch_dropped += static_cast<int64_t>(outcome.dropped.size());
  stats_.no_credit_refused += static_cast<int64_t>(outcome.no_credit.size());

  switch (fault.kind) {
    case FaultKind::kHttp500:
      ++stats_.fault_500_committed;
      RecordInLedger(outcome.created, "error-500");
      return SendHtml(res, 500, "Internal Server Error");
    case FaultKind::kReset:
      ++stats_.fault_reset;
      RecordInLedger(outcome.created, "reset");
      return ResetOrLog(req);
    case FaultKind::kHtml:
      ++stats_.fault_html_committed;
      RecordInLedger(outcome.created, "html");
      return SendHtml(res, 200, "Database Error");
    case FaultKind::kHang:
      ++stats_.fault_hang;
      RecordInLedger(outcome.created, "hang");
      if (!Sleep(options_.faults.hang_ms)) return ResetOrLog(req);
      break;
    case FaultKind::kNone:
    case FaultKind::kHttp503:
      RecordInLedger(outcome.created, "ok");
      break;
  }

  bool single = imeis.size() == 1 || options_.batch == BatchMode::kLast;
  if (single && !outcome.invalid.empty()) {
    return SendXml(req, res, ErrorXml(prolog, "Invalid IMEI Number!"));
  }
  if (single && !outcome.duplicates.empty()) {
    return SendXml(req, res, ErrorXml(prolog, "IMEI already exists!"));
  }
  if (single && !outcome.no_credit.empty()) {
    return SendXml(req, res, ErrorXml(prolog, "Insufficient balance!"));
  }
  SendXml(req, res, PlaceOrderXml(prolog, outcome));
}

void SimServer::GetImeis(const httplib::Request& req, httplib::Response& res,
                         const FaultDecision& fault) {
  std::string_view prolog = Prolog(fault);
  std::vector<std::string> texts = SplitList(Field(req, "orderIds"));
  if (texts.empty()) return SendXml(req, res, ErrorXml(prolog, "Order IDs are required!"));
  std::vector<int64_t> ids;
  for (const std::string& text : texts) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec == std::errc() && end == text.data() + text.size()) ids.push_back(id);
  }
  std::vector<OrderView> found = book_->Lookup(ids);
  if (options_.faults.omit > 0) {
    size_t known = found.size();
    std::erase_if(found, [this](const OrderView&) { return faults_.DrawOmit(); });
    stats_.getimeis_omitted += static_cast<int64_t>(known - found.size());
  }
  SendXml(req, res, GetImeisXml(prolog, found, options_.numeric_status));
}

void SimServer::SendXml(const httplib::Request& req, httplib::Response& res, std::string xml) {
  SendEncoded(req, res, std::move(xml), kXmlType, kXmlTypeChunked);
}

void SimServer::SendEncoded(const httplib::Request& req, httplib::Response& res, std::string text,
                            const char* type, const char* chunked_type) {
  res.status = 200;
  auto body = std::make_shared<std::string>(std::move(text));
  if (options_.gzip && req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos) {
    *body = GzipCompress(*body);
    res.set_header("Content-Encoding", "gzip");
  }
  // httplib would compress (or brotli) some bodies on its own: content
  // providers of a known size, and types other than exactly application/xml,
  // are left alone, so the encoding stays ours.
  if (options_.chunked) {
    // Two chunks, as a streaming PHP page behind a CDN produces.
    res.set_chunked_content_provider(
        chunked_type, [body](size_t offset, httplib::DataSink& sink) {
          if (offset >= body->size()) {
            sink.done();
            return true;
          }
          size_t half = std::max<size_t>(1, body->size() / 2);
          sink.write(body->data() + offset, offset == 0 ? half : body->size() - offset);
          return true;
        });
    return;
  }
  SetSizedBody(res, std::move(body), type);
}

void SimServer::SendHtml(httplib::Response& res, int status, const std::string& title) {
  res.status = status;
  SetSizedBody(res, std::make_shared<std::string>(HtmlErrorPage(status, title)),
               "text/html; charset=UTF-8");
}

void SimServer::DispatchDhru(const httplib::Request& req, httplib::Response& res,
                             int64_t call_id) {
  DhruCall call{Field(req, "username"), Field(req, "apiaccesskey"), Field(req, "action"),
                Field(req, "parameters")};
  DhruReply reply = dhru_->Handle(call, call_id);
  RecordInLedger(reply.charged, reply.ledger_answer.c_str());
  if (reply.transport == FaultKind::kReset) return ResetOrLog(req);
  if (reply.transport == FaultKind::kHang && !Sleep(options_.faults.hang_ms)) {
    return ResetOrLog(req);
  }
  if (reply.html) {
    res.status = reply.status;
    SetSizedBody(res, std::make_shared<std::string>(std::move(reply.body)),
                 "text/html; charset=UTF-8");
    return;
  }
  res.set_header("X-Powered-By", "DHRU-FUSION");
  res.set_header("dhru-fusion-api-version", "6.1");
  SendEncoded(req, res, std::move(reply.body), kJsonType, kJsonTypeChunked);
  res.status = reply.status;
}

void SimServer::RecordInLedger(const std::vector<Order>& orders, const char* answer) {
  if (ledger_ == nullptr) return;
  Status s = ledger_->Append(orders, answer);
  if (!s.ok()) fmt::print(stderr, "imeiflow-sim: {}\n", s.message());
}

void SimServer::ResetOrLog(const httplib::Request& req) {
  Status s = ResetConnection(req.remote_addr, req.remote_port, req.local_port);
  if (!s.ok()) fmt::print(stderr, "imeiflow-sim: reset fault: {}\n", s.message());
}

}  // namespace imeiflow::sim
