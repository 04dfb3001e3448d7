#include "upstream/gsmfusion/client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <utility>

#include "core/config.h"
#include "upstream/exchange_outcome.h"
#include "upstream/gsmfusion/answer.h"
#include "upstream/gsmfusion/classify.h"
#include "upstream/http/redact.h"

namespace imeiflow::upstream::gsmfusion {

namespace {

CallVerdict SupplierErrorVerdict(CallClass otherwise, const std::string& error, int http_status) {
  if (IsAccountError(error)) {
    return MakeVerdict(CallClass::kFatal, "supplier refused the credentials: " + error,
                       http_status);
  }
  return MakeVerdict(otherwise, "supplier answered with an error: " + error, http_status);
}

void AddWarnings(CallVerdict& verdict, const std::vector<std::string>& warnings) {
  verdict.warnings.insert(verdict.warnings.end(), warnings.begin(), warnings.end());
}

}  // namespace

Client::Client(Settings settings, Transport& transport, const Clock& clock)
    : settings_(std::move(settings)),
      shown_url_(RedactUrl(ApiUrl(settings_.base_url))),
      fingerprint_("key#" + ApiKeyFingerprint(settings_.api_key)),
      transport_(transport),
      clock_(clock) {}

void Client::Call(std::string_view action, FormFields fields,
                  std::function<void(HttpResponse)> handle) {
  transport_.Start(BuildRequest(settings_, action, std::move(fields)), std::move(handle));
}

void Client::ListServices(std::function<void(ServicesResult)> done) {
  Call("imeiservices", {}, [this, done = std::move(done)](HttpResponse r) {
    ServicesResult result;
    if (auto v = ClassifyExchange(r, shown_url_, Now())) {
      result.verdict = std::move(*v);
    } else if (Result<ServicesAnswer> answer = ParseServicesAnswer(r.body); !answer.ok()) {
      result.verdict = UnreadableAnswer(r, answer.status());
    } else if (answer->error) {
      result.verdict = SupplierErrorVerdict(CallClass::kUnknown, *answer->error, r.status);
    } else {
      result.verdict.call_class = CallClass::kApplied;
      result.verdict.http_status = r.status;
      AddWarnings(result.verdict, answer->warnings);
      result.services = std::move(answer->services);
    }
    Scrub(result.verdict);
    LogCall("imeiservices", r, result.verdict, 0);
    done(std::move(result));
  });
}

void Client::PlaceOrder(PlaceOrderRequest request, std::function<void(PlaceOrderResult)> done) {
  FormFields fields = PlaceOrderFields(request);
  Call("placeorder", std::move(fields),
       [this, imeis = std::move(request.imeis), done = std::move(done)](HttpResponse r) {
         PlaceOrderResult result;
         if (auto v = ClassifyExchange(r, shown_url_, Now())) {
           result.verdict = std::move(*v);
         } else if (Result<PlaceOrderAnswer> answer = ParsePlaceOrderAnswer(r.body); !answer.ok()) {
           result.verdict = UnreadableAnswer(r, answer.status());
         } else {
           result = MapPlaceOrderAnswer(imeis, *answer, r.status);
         }
         Scrub(result.verdict);
         for (const std::string& w : result.verdict.warnings) spdlog::warn("placeorder: {}", w);
         LogCall("placeorder", r, result.verdict, imeis.size());
         done(std::move(result));
       });
}

void Client::FetchOrders(std::vector<std::string> order_ids,
                         std::function<void(OrdersResult)> done) {
  std::string ids;
  for (const std::string& id : order_ids) {
    if (!ids.empty()) ids += ',';
    ids += id;
  }
  Call("getimeis", {{"orderIds", ids}}, [this, done = std::move(done)](HttpResponse r) {
    OrdersResult result;
    if (auto v = ClassifyExchange(r, shown_url_, Now())) {
      result.verdict = std::move(*v);
    } else if (Result<OrdersAnswer> answer = ParseOrdersAnswer(r.body); !answer.ok()) {
      result.verdict = UnreadableAnswer(r, answer.status());
    } else if (answer->error) {
      // e.g. "No Record Found": the call worked, the ids are unknown there.
      result.verdict = SupplierErrorVerdict(CallClass::kApplied, *answer->error, r.status);
    } else {
      result.verdict.call_class = CallClass::kApplied;
      result.verdict.http_status = r.status;
      AddWarnings(result.verdict, answer->warnings);
      result.orders = std::move(answer->orders);
    }
    Scrub(result.verdict);
    LogCall("getimeis", r, result.verdict, 0);
    done(std::move(result));
  });
}

void Client::Probe(std::function<void(CallVerdict)> done) {
  ListServices([done = std::move(done)](ServicesResult result) {
    if (result.verdict.call_class == CallClass::kApplied && result.services.empty()) {
      result.verdict.warnings.push_back("the supplier lists no IMEI services");
    }
    done(std::move(result.verdict));
  });
}

void Client::FetchBalance(std::function<void(BalanceResult)> done) {
  BalanceResult result;
  result.verdict.call_class = CallClass::kNotApplied;
  result.verdict.message = "the balance is not available: GSM Fusion has no balance action";
  done(std::move(result));
}

void Client::Pump(std::chrono::milliseconds max_wait) { transport_.Pump(max_wait); }

size_t Client::InFlight() const { return transport_.InFlight(); }

std::time_t Client::Now() const { return static_cast<std::time_t>(clock_.NowMs() / 1000); }

void Client::Scrub(CallVerdict& verdict) const {
  // A real key is long; masking a short (surely wrong) one would garble
  // every message that happens to contain its letters.
  std::string_view key = settings_.api_key;
  if (key.size() < 8) key = {};
  std::string_view user_info = UrlUserInfo(settings_.base_url);
  auto mask = [&](std::string& text) {
    MaskSecret(text, key);
    MaskSecret(text, user_info);
  };
  mask(verdict.message);
  for (std::string& w : verdict.warnings) mask(w);
}

void Client::LogCall(std::string_view action, const HttpResponse& r, const CallVerdict& v,
                     size_t imeis) const {
  spdlog::debug("gsmfusion {} user={} {} imeis={} http={} {} in {} ms{}{}", action, settings_.user,
                fingerprint_, imeis, r.status, CallClassName(v.call_class),
                r.elapsed.count() / 1000, v.message.empty() ? "" : ": ", v.message);
}

}  // namespace imeiflow::upstream::gsmfusion
