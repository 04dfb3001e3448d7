#include "upstream/http/curl_transport.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <vector>

#include "upstream/http/redact.h"

namespace imeiflow::upstream {

namespace {

using Clock = std::chrono::steady_clock;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string EncodeForm(CURL* easy, const std::vector<std::pair<std::string, std::string>>& form) {
  std::string out;
  for (const auto& [name, value] : form) {
    if (!out.empty()) out += '&';
    char* n = curl_easy_escape(easy, name.data(), static_cast<int>(name.size()));
    char* v = curl_easy_escape(easy, value.data(), static_cast<int>(value.size()));
    if (n) out += n;
    out += '=';
    if (v) out += v;
    curl_free(n);
    curl_free(v);
  }
  return out;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// "16 MB", "64 KB" or "1000 bytes".
std::string SizeText(size_t bytes) {
  constexpr size_t kKilo = 1024, kMega = 1024 * 1024;
  if (bytes >= kMega && bytes % kMega == 0) return fmt::format("{} MB", bytes / kMega);
  if (bytes >= kKilo && bytes % kKilo == 0) return fmt::format("{} KB", bytes / kKilo);
  return fmt::format("{} bytes", bytes);
}

}  // namespace

struct CurlTransport::Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  std::string body;       // the urlencoded form
  std::string user_info;  // of the URL: masked in error messages
  size_t body_sent = 0;   // bytes handed to libcurl so far
  size_t max_body_bytes = 0;
  bool too_large = false;
  HttpResponse response;
  HttpCompletion done;
  Clock::time_point started;
  char error_buffer[CURL_ERROR_SIZE] = {};

  static size_t Read(char* buffer, size_t size, size_t count, void* self) {
    auto* t = static_cast<Transfer*>(self);
    size_t n = std::min(size * count, t->body.size() - t->body_sent);
    std::memcpy(buffer, t->body.data() + t->body_sent, n);
    t->body_sent += n;
    return n;
  }

  // Refuses every rewind once a body byte went out: see the header comment.
  static int Seek(void* self, curl_off_t offset, int origin) {
    auto* t = static_cast<Transfer*>(self);
    if (origin == SEEK_SET && offset == 0 && t->body_sent == 0) return CURL_SEEKFUNC_OK;
    return CURL_SEEKFUNC_CANTSEEK;
  }

  static size_t Write(char* data, size_t size, size_t count, void* self) {
    auto* t = static_cast<Transfer*>(self);
    size_t n = size * count;
    if (t->response.body.size() + n > t->max_body_bytes) {
      t->too_large = true;
      return 0;
    }
    t->response.body.append(data, n);
    return n;
  }

  static size_t Header(char* data, size_t size, size_t count, void* self) {
    auto* t = static_cast<Transfer*>(self);
    std::string_view line(data, size * count);
    if (StartsWithNoCase(line, "HTTP/")) {
      t->response.retry_after.reset();  // a new answer (after 1xx) starts afresh
    } else if (StartsWithNoCase(line, "retry-after:")) {
      t->response.retry_after = std::string(Trim(line.substr(std::strlen("retry-after:"))));
    }
    return size * count;
  }
};

CurlTransport::CurlTransport(CurlTransportOptions options) : options_(std::move(options)) {
  InitCurlOnce();
  multi_ = curl_multi_init();
  curl_multi_setopt(static_cast<CURLM*>(multi_), CURLMOPT_MAXCONNECTS, options_.keep_connections);
}

CurlTransport::~CurlTransport() {
  CURLM* multi = static_cast<CURLM*>(multi_);
  // Transfers still running are abandoned without their callbacks.
  for (Transfer* t : active_) {
    curl_multi_remove_handle(multi, t->easy);
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
    delete t;
  }
  for (Transfer* t : not_started_) delete t;
  curl_multi_cleanup(multi);
}

void CurlTransport::Start(HttpRequest request, HttpCompletion done) {
  auto* t = new Transfer;
  t->done = std::move(done);
  t->max_body_bytes = options_.max_body_bytes;
  t->started = Clock::now();
  t->easy = curl_easy_init();
  if (t->easy == nullptr) {  // out of memory: report it from the next Pump, as promised
    t->response.error = TransportError::kOther;
    t->response.error_message = "cannot create a libcurl handle";
    not_started_.push_back(t);
    return;
  }
  CURL* e = t->easy;
  t->body = EncodeForm(e, request.form);
  t->user_info = UrlUserInfo(request.url);
  t->headers = curl_slist_append(t->headers, "Content-Type: application/x-www-form-urlencoded");
  t->headers = curl_slist_append(t->headers, "Expect:");

  curl_easy_setopt(e, CURLOPT_PRIVATE, t);
  curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->body.size()));
  curl_easy_setopt(e, CURLOPT_READFUNCTION, &Transfer::Read);
  curl_easy_setopt(e, CURLOPT_READDATA, t);
  curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, &Transfer::Seek);
  curl_easy_setopt(e, CURLOPT_SEEKDATA, t);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::Write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::Header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error_buffer);
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(request.total_timeout.count()));
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str());

  curl_multi_add_handle(static_cast<CURLM*>(multi_), e);
  active_.insert(t);
}

void CurlTransport::Pump(std::chrono::milliseconds max_wait) {
  CURLM* multi = static_cast<CURLM*>(multi_);
  auto collect = [multi]() {
    std::vector<std::pair<CURL*, CURLcode>> finished;
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg == CURLMSG_DONE) finished.emplace_back(msg->easy_handle, msg->data.result);
    }
    return finished;
  };
  std::vector<Transfer*> transfers;
  transfers.swap(not_started_);
  int running = 0;
  curl_multi_perform(multi, &running);
  auto finished = collect();
  if (finished.empty() && transfers.empty()) {
    curl_multi_poll(multi, nullptr, 0, static_cast<int>(max_wait.count()), nullptr);
    curl_multi_perform(multi, &running);
    finished = collect();
  }
  // Callbacks run only after every finished handle left the multi handle,
  // so that they may start new requests.
  for (auto [easy, code] : finished) {
    Transfer* t = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &t);
    Finish(t, code);
    transfers.push_back(t);
  }
  for (Transfer* t : transfers) {
    active_.erase(t);  // no-op for a transfer that never started
    HttpCompletion done = std::move(t->done);
    HttpResponse response = std::move(t->response);
    delete t;
    done(std::move(response));
  }
}

size_t CurlTransport::InFlight() const { return active_.size() + not_started_.size(); }

void CurlTransport::Finish(Transfer* t, int curl_code) {
  auto code = static_cast<CURLcode>(curl_code);
  CURL* e = t->easy;
  HttpResponse& r = t->response;
  long status = 0, connects = 0, request_size = 0;
  curl_off_t pretransfer_us = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &connects);
  curl_easy_getinfo(e, CURLINFO_REQUEST_SIZE, &request_size);
  curl_easy_getinfo(e, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
  connections_opened_ += connects;
  r.status = static_cast<int>(status);
  r.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t->started);
  // Conservative: once libcurl got as far as sending, assume the server saw it.
  bool sent_something = request_size > 0 || t->body_sent > 0 || status != 0 || pretransfer_us > 0;

  switch (code) {
    case CURLE_OK:
      r.error = TransportError::kNone;
      r.request_may_have_reached_server = true;
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      r.error = TransportError::kCannotConnect;
      r.request_may_have_reached_server = false;
      break;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      r.error = TransportError::kOther;
      r.request_may_have_reached_server = false;
      break;
    case CURLE_OPERATION_TIMEDOUT:
      r.error = TransportError::kTimedOut;
      r.request_may_have_reached_server = sent_something;
      break;
    case CURLE_SEND_FAIL_REWIND:
      r.error = TransportError::kRewindRefused;
      r.request_may_have_reached_server = true;
      break;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      r.error = TransportError::kConnectionLost;
      r.request_may_have_reached_server = sent_something;
      break;
    case CURLE_BAD_CONTENT_ENCODING:
      r.error = TransportError::kBadAnswer;
      r.request_may_have_reached_server = true;
      break;
    case CURLE_WRITE_ERROR:
      r.error = t->too_large ? TransportError::kTooLarge : TransportError::kOther;
      r.request_may_have_reached_server = true;
      break;
    default:
      r.error = TransportError::kOther;
      r.request_may_have_reached_server = sent_something;
      break;
  }
  if (code != CURLE_OK) {
    r.error_message = t->error_buffer[0] ? t->error_buffer : curl_easy_strerror(code);
    long os_errno = 0;
    curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &os_errno);
    if (os_errno != 0)
      r.error_message += fmt::format(" ({})", std::strerror(static_cast<int>(os_errno)));
    if (t->too_large) {
      r.error_message = "the supplier's answer is larger than " + SizeText(t->max_body_bytes);
    }
    MaskSecret(r.error_message, t->user_info);
  }
  curl_multi_remove_handle(static_cast<CURLM*>(multi_), e);
  curl_easy_cleanup(e);
  curl_slist_free_all(t->headers);
  t->easy = nullptr;
}

}  // namespace imeiflow::upstream
