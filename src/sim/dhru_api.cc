#include "sim/dhru_api.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "sim/answers.h"

namespace imeiflow::sim {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kApiVersion = "6.1";
constexpr int kBadRequest = 400;
constexpr int kUnauthorized = 401;
constexpr int kPaymentRequired = 402;
constexpr const char* kNoCredit = "Not enough credits";

Json Id(const SimOptions& o, const std::string& id) {
  if (!o.dhru.numeric_ids) return id;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (ec == std::errc() && end == id.data() + id.size()) return n;
  return id;
}

Json Id(const SimOptions& o, int64_t id) {
  if (o.dhru.numeric_ids) return id;
  return std::to_string(id);
}

Json Price(const SimOptions& o, Money price) {
  if (o.dhru.numeric_ids) return static_cast<double>(price.cents()) / 100.0;
  return price.ToDecimal();
}

// A list keyed by id (object) or an array, as --dhru-lists says.
void Add(const SimOptions& o, Json& list, const std::string& key, Json value) {
  if (o.dhru.list_arrays) {
    list.push_back(std::move(value));
  } else {
    list[key] = std::move(value);
  }
}

Json EmptyList(const SimOptions& o) { return o.dhru.list_arrays ? Json::array() : Json::object(); }

std::string Success(Json entry) {
  Json j;
  j["SUCCESS"] = Json::array({std::move(entry)});
  j["apiversion"] = kApiVersion;
  return j.dump();
}

int StatusNumber(OrderStatus s) {
  switch (s) {
    case OrderStatus::kPending:
      return 0;
    case OrderStatus::kInProcess:
      return 1;
    case OrderStatus::kRejected:
      return 3;
    case OrderStatus::kCompleted:
      return 4;
  }
  return 0;
}

Json StatusValue(const SimOptions& o, int status) {
  if (o.dhru.numeric_status) return status;
  return std::to_string(status);
}

Json ListGroups(const SimOptions& o, const std::vector<DhruListGroup>& groups, const char* key) {
  Json list = EmptyList(o);
  for (const DhruListGroup& g : groups) {
    Json entries = Json::array();
    for (const DhruListEntry& e : g.entries) {
      entries.push_back({{"ID", Id(o, int64_t{e.id})}, {"NAME", e.name}});
    }
    Json group = {{"ID", Id(o, int64_t{g.id})}, {"NAME", g.name}, {key, std::move(entries)}};
    Add(o, list, g.name, std::move(group));
  }
  return list;
}

Json ServiceJson(const SimOptions& o, const DhruService& d) {
  const Service& s = d.service;
  Json j = {{"SERVICEID", Id(o, s.id)},
            {"SERVICENAME", s.title},
            {"CREDIT", Price(o, s.price)},
            {"TIME", s.delivery},
            {"INFO", s.must_read},
            {"SERVER", "0"},
            {"MINQNT", "1"},
            {"MAXQNT", "1"}};
  j["Requires.Network"] = d.requires_provider ? "Required" : "None";
  j["Requires.Mobile"] = d.requires_model ? "Required" : "None";
  j["Requires.Provider"] = d.requires_provider ? "Required" : "None";
  for (const char* other : {"PIN", "KBH", "MEP", "PRD", "Type", "Locks", "Reference", "SN",
                            "SecRO"}) {
    j[std::string("Requires.") + other] = "None";
  }
  Json custom = Json::array();
  for (const DhruCustomField& f : d.custom) {
    std::string options;
    for (const std::string& option : f.options) options += (options.empty() ? "" : ",") + option;
    custom.push_back({{"type", "serviceimei"},
                      {"fieldname", f.name},
                      {"fieldtype", f.type},
                      {"description", f.description},
                      {"fieldoptions", options},
                      {"required", "on"},
                      {"regexpr", f.pattern},
                      {"adminonly", ""},
                      {"enc", ""}});
  }
  j["Requires.Custom"] = std::move(custom);
  return j;
}

std::string ServiceList(const SimOptions& o, const DhruCatalogue& catalogue) {
  Json groups = Json::object();  // by name, in first-seen order
  for (const DhruService& d : catalogue.services()) {
    Json& group = groups[d.service.category];
    if (group.is_null()) {
      group = {{"GROUPNAME", d.service.category}, {"GROUPTYPE", "IMEI"},
               {"SERVICES", EmptyList(o)}};
    }
    Add(o, group["SERVICES"], d.service.id, ServiceJson(o, d));
  }
  Json list = EmptyList(o);
  for (auto& [name, group] : groups.items()) Add(o, list, name, group);
  return Success({{"MESSAGE", "IMEI Service List"}, {"LIST", std::move(list)}});
}

std::string AccountInfo(const SimOptions& o, std::optional<int64_t> balance_cents) {
  // Unlimited credit is shown as a fixed large figure.
  Money credit = Money::FromCents(balance_cents.value_or(int64_t{100000000}));
  Json info = {{"credit", credit.ToDisplay()},
               {"creditraw", static_cast<double>(credit.cents()) / 100.0},
               {"mail", "demo@example.com"},
               {"currency", "USD"}};
  return Success({{"message", "Your Accout Info"}, {o.dhru.account_key, std::move(info)}});
}

}  // namespace

DhruApi::DhruApi(const SimOptions& options, const DhruCatalogue& catalogue, OrderBook& book,
                 FaultPlan& faults, SimStats& stats)
    : options_(options), catalogue_(catalogue), book_(book), faults_(faults), stats_(stats) {}

DhruReply DhruApi::Error(const std::string& message, int status_4xx) const {
  DhruReply reply;
  if (options_.dhru.errors_4xx) reply.status = status_4xx;
  Json j;
  j["ERROR"] = Json::array({{{"MESSAGE", message}, {"FULL_DESCRIPTION", message}}});
  j["apiversion"] = kApiVersion;
  reply.body = j.dump();
  return reply;
}

DhruReply DhruApi::Handle(const DhruCall& call, int64_t call_id) {
  const std::string& action = call.action;
  if (action == "placeimeiorder" || action == "placeimeiorderbulk") {
    ++stats_.calls_placeorder;
    return Place(call, call_id, action == "placeimeiorderbulk");
  }
  FaultDecision fault = faults_.DrawForOtherCall();
  if (fault.kind == FaultKind::kHtml) {
    ++stats_.fault_html_uncommitted;
    DhruReply reply;
    reply.html = true;
    reply.body = HtmlErrorPage(200, "Database Error");
    return reply;
  }
  if (call.username != options_.user || call.apiaccesskey != options_.api_key) {
    ++stats_.auth_failures;
    return Error("Authentication Failed", kUnauthorized);
  }
  DhruReply reply;
  if (action == "accountinfo") {
    ++stats_.calls_other;
    reply.body = AccountInfo(options_, book_.BalanceCents());
  } else if (action == "imeiservicelist") {
    ++stats_.calls_imeiservices;
    reply.body = ServiceList(options_, catalogue_);
  } else if (action == "modellist") {
    ++stats_.calls_other;
    reply.body = Success({{"MESSAGE", "Model List"},
                          {"LIST", ListGroups(options_, catalogue_.models(), "MODELS")}});
  } else if (action == "providerlist") {
    ++stats_.calls_other;
    reply.body = Success({{"MESSAGE", "Provider List"},
                          {"LIST", ListGroups(options_, catalogue_.providers(), "PROVIDERS")}});
  } else if (action == "getimeiorder" || action == "getimeiorderbulk") {
    ++stats_.calls_getimeis;
    return GetOrders(call, action == "getimeiorderbulk");
  } else {
    ++stats_.calls_other;
    return Error("Invalid Action", kBadRequest);
  }
  return reply;
}

std::string DhruApi::PlaceOne(const DhruParameterMap& p, int64_t call_id,
                              std::vector<Order>& created, int64_t& reference_id,
                              int& status_4xx) {
  status_4xx = kBadRequest;
  auto value_of = [&](const char* key) {
    auto it = p.find(key);
    return it == p.end() ? std::string() : it->second;
  };
  std::string id = value_of("ID");
  if (id.empty()) return "Parameter 'ID' Required";
  const DhruService* service = catalogue_.Find(id);
  if (service == nullptr) return "Invalid service ID";
  std::string imei = value_of("IMEI");
  if (imei.empty()) return "No IMEI Found";
  if (Status fields = catalogue_.CheckFields(*service, p); !fields.ok()) return fields.message();
  PlaceOutcome outcome = book_.Place(service->service, {imei}, call_id);
  stats_.orders_created += static_cast<int64_t>(outcome.created.size());
  stats_.duplicates_refused += static_cast<int64_t>(outcome.duplicates.size());
  stats_.invalid_imeis += static_cast<int64_t>(outcome.invalid.size());
  stats_.no_credit_refused += static_cast<int64_t>(outcome.no_credit.size());
  if (!outcome.invalid.empty()) return "Invalid IMEI";
  if (!outcome.duplicates.empty()) return "IMEI already exists";
  if (!outcome.no_credit.empty()) {
    status_4xx = kPaymentRequired;
    return kNoCredit;
  }
  reference_id = outcome.created.front().id;
  created.push_back(std::move(outcome.created.front()));
  return {};
}

DhruReply DhruApi::Place(const DhruCall& call, int64_t call_id, bool bulk) {
  FaultDecision fault = faults_.DrawForPlaceOrder();
  DhruReply reply;
  auto page = [&](int status, const char* title) {
    reply.status = status;
    reply.html = true;
    reply.body = HtmlErrorPage(status, title);
  };
  if (fault.kind == FaultKind::kHttp503) {
    ++stats_.fault_503;
    page(503, "Service Temporarily Unavailable");
    return reply;
  }
  if (fault.kind == FaultKind::kHttp500 && !fault.commit_first) {
    ++stats_.fault_500_uncommitted;
    page(500, "Internal Server Error");
    return reply;
  }
  if (fault.kind == FaultKind::kHtml && !fault.commit_first) {
    ++stats_.fault_html_uncommitted;
    page(200, "Database Error");
    return reply;
  }
  if (call.username != options_.user || call.apiaccesskey != options_.api_key) {
    ++stats_.auth_failures;
    return Error("Authentication Failed", kUnauthorized);
  }
  if (bulk && options_.dhru.bulk == DhruBulk::kOff) return Error("Invalid Action", kBadRequest);

  std::vector<Order> created;
  if (!bulk) {
    auto p = DecodeParameters(call.parameters, options_.dhru.parameters);
    if (!p.ok()) return Error(p.status().message(), kBadRequest);
    int64_t reference_id = 0;
    int status_4xx = kBadRequest;
    std::string error = PlaceOne(*p, call_id, created, reference_id, status_4xx);
    if (!error.empty()) {
      reply = Error(error, status_4xx);
    } else {
      reply.body = Success({{"MESSAGE", "Order received"},
                            {"REFERENCEID", Id(options_, reference_id)}});
    }
  } else {
    auto rows = DecodeBulkParameters(call.parameters);
    if (!rows.ok()) return Error(rows.status().message(), kBadRequest);
    Json top;
    Json keyed = Json::object();
    for (const DhruBulkRow& row : *rows) {
      if (faults_.Draw(options_.dhru.bulk_drop)) continue;
      int64_t reference_id = 0;
      int status_4xx = kBadRequest;
      std::string error = PlaceOne(row.parameters, call_id, created, reference_id, status_4xx);
      if (options_.dhru.bulk == DhruBulk::kRows) {
        if (error.empty()) {
          top[row.ref]["SUCCESS"] = Json::array(
              {{{"MESSAGE", "Order received"}, {"REFERENCEID", Id(options_, reference_id)}}});
        } else {
          top[row.ref]["ERROR"] = Json::array({{{"MESSAGE", error}}});
        }
      } else if (error.empty()) {
        keyed[row.ref] = {{"status", "success"},
                          {"message", "Order received"},
                          {"referenceid", Id(options_, reference_id)}};
      } else {
        keyed[row.ref] = {{"status", "error"}, {"message", error}};
      }
    }
    if (options_.dhru.bulk == DhruBulk::kKeyed) top["SUCCESS"] = std::move(keyed);
    top["apiversion"] = kApiVersion;
    reply.body = top.dump();
  }
  reply.charged = std::move(created);
  switch (fault.kind) {
    case FaultKind::kHttp500:
      ++stats_.fault_500_committed;
      reply.ledger_answer = "error-500";
      page(500, "Internal Server Error");
      break;
    case FaultKind::kHtml:
      ++stats_.fault_html_committed;
      reply.ledger_answer = "html";
      page(200, "Database Error");
      break;
    case FaultKind::kReset:
      ++stats_.fault_reset;
      reply.ledger_answer = "reset";
      break;
    case FaultKind::kHang:
      ++stats_.fault_hang;
      reply.ledger_answer = "hang";
      break;
    case FaultKind::kNone:
    case FaultKind::kHttp503:
      break;
  }
  reply.transport = fault.kind;
  return reply;
}

DhruReply DhruApi::GetOrders(const DhruCall& call, bool bulk) {
  std::vector<std::pair<std::string, std::string>> asked;  // ref, order id
  if (bulk) {
    auto rows = DecodeBulkParameters(call.parameters);
    if (!rows.ok()) return Error(rows.status().message(), kBadRequest);
    for (const DhruBulkRow& row : *rows) {
      auto it = row.parameters.find("ID");
      asked.emplace_back(row.ref, it == row.parameters.end() ? "" : it->second);
    }
  } else {
    auto p = DecodeParameters(call.parameters, options_.dhru.parameters);
    if (!p.ok()) return Error(p.status().message(), kBadRequest);
    auto it = p->find("ID");
    if (it == p->end() || it->second.empty()) return Error("Parameter 'ID' Required", kBadRequest);
    asked.emplace_back("", it->second);
  }
  Json top;
  for (const auto& [ref, text] : asked) {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    std::vector<OrderView> found;
    if (ec == std::errc() && end == text.data() + text.size()) found = book_.Lookup({id});
    if (bulk && !found.empty() && faults_.DrawOmit()) {
      ++stats_.getimeis_omitted;
      found.clear();  // answered as an unknown id: STATUS 0, as real panels do
    }
    Json entry;
    if (found.empty()) {
      entry = {{"IMEI", ""}, {"STATUS", StatusValue(options_, 0)}, {"CODE", ""},
               {"COMMENTS", ""}};
    } else {
      const OrderView& v = found.front();
      entry = {{"IMEI", v.imei},
               {"STATUS", StatusValue(options_, StatusNumber(v.status))},
               {"CODE", v.code},
               {"COMMENTS", ""}};
    }
    if (!bulk) {
      DhruReply reply;
      reply.body = Success(std::move(entry));
      return reply;
    }
    top[ref]["SUCCESS"] = Json::array({std::move(entry)});
  }
  top["apiversion"] = kApiVersion;
  DhruReply reply;
  reply.body = top.dump();
  return reply;
}

}  // namespace imeiflow::sim
