#include "upstream/dhru/answer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/ascii.h"

namespace imeiflow::upstream::dhru {

namespace {

using nlohmann::json;

// Bigger answers are not a DHRU panel's: refused before parsing.
constexpr size_t kMaxBodyBytes = 16 * 1024 * 1024;

// A value that may come as a string or a number, as text ("" otherwise).
std::string Text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) return fmt::format("{}", v.get<double>());
  return "";
}

// The member `key` of object `v`, or null.
const json& Member(const json& v, std::string_view key) {
  static const json kNull;
  if (!v.is_object()) return kNull;
  auto it = v.find(key);
  return it == v.end() ? kNull : *it;
}

// The first element of an array, or the value itself when it is an object.
const json& First(const json& v) {
  static const json kNull;
  if (v.is_array()) return v.empty() ? kNull : v.front();
  return v;
}

// A few bytes of a body that is not JSON, safe to show.
std::string Excerpt(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, 40)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

struct Envelope {
  json success;  // SUCCESS[0] (an object), when there was no ERROR
  std::optional<SupplierError> error;
};

Result<Envelope> ParseEnvelope(std::string_view body) {
  if (body.size() > kMaxBodyBytes) {
    return Status::Corrupt(
        fmt::format("the answer is {} bytes; at most {} are accepted", body.size(), kMaxBodyBytes));
  }
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::Corrupt("the answer is empty");
  }
  json root = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return Status::Corrupt(
        fmt::format("the answer is not a DHRU JSON object (starts \"{}\")", Excerpt(body)));
  }
  Envelope e;
  const json& error = Member(root, "ERROR");
  if (!error.is_null()) {
    const json& entry = First(error);
    std::string message =
        entry.is_string() ? entry.get<std::string>() : Text(Member(entry, "MESSAGE"));
    std::string full = Text(Member(entry, "FULL_DESCRIPTION"));
    if (message.empty())
      message = full.empty() ? "an error without a message" : full;
    else if (!full.empty() && full != message)
      message += " (" + full + ")";
    e.error = SupplierError{message};
    return e;
  }
  const json& success = First(Member(root, "SUCCESS"));
  if (!success.is_object()) return Status::Corrupt("the answer has neither SUCCESS nor ERROR");
  e.success = success;
  return e;
}

// "$16.41", "16.41 USD", "1,203.50": the amount without symbol or unit.
std::optional<Money> ParseCredit(std::string text) {
  size_t begin = text.find_first_of("0123456789");
  if (begin == std::string::npos) return std::nullopt;
  bool negative = begin > 0 && text[begin - 1] == '-';
  size_t end = text.find_last_of("0123456789");
  std::string amount = text.substr(begin, end - begin + 1);
  Result<Money> money = Money::Parse(amount);
  if (!money.ok()) return std::nullopt;
  return negative ? Money::FromCents(-money->cents()) : *money;
}

}  // namespace

OrderStatus StatusFromDhru(std::string_view status) {
  if (status == "0") return OrderStatus::kPending;
  if (status == "1") return OrderStatus::kInProcess;
  if (status == "3") return OrderStatus::kRejected;
  if (status == "4") return OrderStatus::kCompleted;
  return OrderStatus::kUnrecognised;
}

Result<AccountAnswer> ParseAccountAnswer(std::string_view body) {
  Result<Envelope> e = ParseEnvelope(body);
  if (!e.ok()) return e.status();
  AccountAnswer answer;
  if (e->error) {
    answer.error = e->error;
    return answer;
  }
  // V6.1 spells it AccoutInfo; newer panels send AccountInfo too.
  const json* info = &Member(e->success, "AccountInfo");
  if (!info->is_object()) info = &Member(e->success, "AccoutInfo");
  if (!info->is_object()) return Status::Corrupt("accountinfo: no AccoutInfo / AccountInfo");
  answer.credit_text = Text(Member(*info, "credit"));
  answer.currency = Text(Member(*info, "currency"));
  std::string raw = Text(Member(*info, "creditraw"));
  if (answer.credit_text.empty()) answer.credit_text = raw;
  answer.credit = ParseCredit(raw.empty() ? answer.credit_text : raw);
  return answer;
}

Result<PlaceAnswer> ParsePlaceAnswer(std::string_view body) {
  Result<Envelope> e = ParseEnvelope(body);
  if (!e.ok()) return e.status();
  PlaceAnswer answer;
  answer.error = e->error;
  if (!e->error) answer.reference_id = Text(Member(e->success, "REFERENCEID"));
  return answer;
}

Result<OrderAnswer> ParseOrderAnswer(std::string_view body) {
  Result<Envelope> e = ParseEnvelope(body);
  if (!e.ok()) return e.status();
  OrderAnswer answer;
  if (e->error) {
    answer.error = e->error;
    return answer;
  }
  answer.order.imei = Text(Member(e->success, "IMEI"));
  answer.order.status_text = Text(Member(e->success, "STATUS"));
  answer.order.status = StatusFromDhru(answer.order.status_text);
  answer.order.code = Text(Member(e->success, "CODE"));
  return answer;
}

}  // namespace imeiflow::upstream::dhru
