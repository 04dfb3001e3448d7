#include "web/api_requests.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/imei.h"
#include "core/time_text.h"

namespace imeiflow::web {
namespace {

using nlohmann::json;

constexpr int64_t kDayMs = 86'400'000;
constexpr size_t kDateLength = 10;  // "YYYY-MM-DD"

Status FieldError(std::string_view field, std::string_view what) {
  return Status::InvalidArgument(fmt::format("{}: {}", field, what));
}

// The whole numbers a field accepts, for reading it and for its error message.
struct WholeRange {
  int64_t min = 0;
  int64_t max = INT64_MAX;
  // "a whole number from 1 to 100", or "a whole number of at least 0".
  std::string Text() const {
    return max == INT64_MAX ? fmt::format("a whole number of at least {}", min)
                            : fmt::format("a whole number from {} to {}", min, max);
  }
};

constexpr WholeRange kBatchSizeRange{1, 100};
constexpr WholeRange kJobIdRange{1, INT64_MAX};
constexpr WholeRange kLimitRange{1, kMaxOrdersPage};
constexpr WholeRange kOffsetRange{0, INT64_MAX};

// The range of a whole-number filter (job, limit, offset); none for the others.
std::optional<WholeRange> FilterRange(std::string_view name) {
  if (name == "job") return kJobIdRange;
  if (name == "limit") return kLimitRange;
  if (name == "offset") return kOffsetRange;
  return std::nullopt;
}

Status NotInRange(std::string_view field, const WholeRange& range, std::string_view got) {
  return FieldError(field, fmt::format("expected {}, got {}", range.Text(), got));
}

// Follows a JSON parse to say where it failed: the member or element being
// read (imeis[3]) and, for a number too large for a double, which one.
// nlohmann's parser reports every failure here instead of throwing.
class ErrorLocator final : public nlohmann::json_sax<json> {
 public:
  bool null() override { return Value(); }
  bool boolean(bool) override { return Value(); }
  bool number_integer(number_integer_t) override { return Value(); }
  bool number_unsigned(number_unsigned_t) override { return Value(); }
  bool number_float(number_float_t, const string_t&) override { return Value(); }
  bool string(string_t&) override { return Value(); }
  bool binary(binary_t&) override { return Value(); }
  bool start_object(std::size_t) override { return Open(false); }
  bool key(string_t& name) override {
    path_.back().key = name;
    return true;
  }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open(true); }
  bool end_array() override { return Close(); }
  bool parse_error(std::size_t, const std::string& last_token,
                   const nlohmann::detail::exception& error) override {
    token_ = Shortened(last_token);
    overflow_ = error.id == kNumberOverflow;
    // what() is "[json.exception.parse_error.101] parse error at line 1, ...".
    std::string_view what = error.what();
    size_t bracket = what.find("] ");
    message_ = Shortened(what.substr(bracket == std::string_view::npos ? 0 : bracket + 2));
    return false;
  }

  // Where the parse stopped: "imeis[2]", "batch_size", or "" at the top.
  std::string Path() const {
    std::string path;
    for (const Level& level : path_) {
      if (level.array) {
        path += fmt::format("[{}]", level.elements);
      } else if (!level.key.empty()) {
        path += (path.empty() ? "" : ".") + level.key;
      }
    }
    return path;
  }
  bool overflow() const { return overflow_; }
  const std::string& token() const { return token_; }
  const std::string& message() const { return message_; }

 private:
  static constexpr int kNumberOverflow = 406;  // nlohmann's out_of_range.406
  // The token of an unterminated string may be the rest of a 20 MB body.
  static constexpr size_t kMaxQuoted = 200;
  static std::string Shortened(std::string_view text) {
    if (text.size() <= kMaxQuoted) return std::string(text);
    return fmt::format("{}... ({} bytes)", text.substr(0, kMaxQuoted), text.size());
  }
  struct Level {
    bool array = false;
    std::string key;      // the member being read (objects)
    size_t elements = 0;  // elements read so far (arrays)
  };
  bool Value() {
    if (!path_.empty() && path_.back().array) ++path_.back().elements;
    return true;
  }
  bool Open(bool array) {
    path_.push_back(Level{array, "", 0});
    return true;
  }
  bool Close() {
    path_.pop_back();
    return Value();
  }

  std::vector<Level> path_;
  std::string token_;
  bool overflow_ = false;
  std::string message_;
};

// Why `body` is not JSON, naming the field where that is known; a number
// too large names the field and, for a top-level whole-number field in
// `ranges`, what it accepts.
Status ParseFailure(std::string_view body, const std::map<std::string_view, WholeRange>& ranges) {
  ErrorLocator where;
  json::sax_parse(body, &where);
  const std::string path = where.Path();
  if (where.overflow() && !path.empty()) {
    auto range = ranges.find(path);
    if (range != ranges.end()) return NotInRange(path, range->second, where.token());
    return FieldError(path, fmt::format("the number {} is too large", where.token()));
  }
  std::string in = path.empty() ? "" : fmt::format(" (in {})", path);
  return Status::InvalidArgument(
      fmt::format("the body is not valid JSON{}: {}", in, where.message()));
}

// The body as a JSON object, or an error saying where it broke. `ranges`
// names the top-level whole-number fields, for a clear message about a
// number out of range.
Result<json> ParseObject(std::string_view body,
                         const std::map<std::string_view, WholeRange>& ranges) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return ParseFailure(body, ranges);
  if (!parsed.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  return parsed;
}

// Refuses members other than `known` (a typo such as "re_check" must not
// silently order IMEIs that already have an order).
Status OnlyKnownFields(const json& object, const std::set<std::string_view>& known) {
  for (const auto& [name, value] : object.items()) {
    if (!known.contains(name)) {
      return FieldError(name, fmt::format("unknown field (known: {})", fmt::join(known, ", ")));
    }
  }
  return Status::Ok();
}

// The array member `field` as strings; TooLarge beyond `max_items`.
Result<std::vector<std::string>> StringArray(const json& object, std::string_view field,
                                             size_t max_items) {
  auto array = object.find(std::string(field));
  if (array == object.end() || !array->is_array()) {
    return FieldError(field, "must be an array of strings");
  }
  if (array->size() > max_items) {
    return Status::TooLarge(
        fmt::format("{}: {}", field, CheckJobSize(array->size(), max_items).message()));
  }
  std::vector<std::string> out;
  out.reserve(array->size());
  for (size_t i = 0; i < array->size(); ++i) {
    const json& element = (*array)[i];
    if (!element.is_string()) {
      return FieldError(fmt::format("{}[{}]", field, i), "must be a string");
    }
    out.push_back(element.get<std::string>());
  }
  return out;
}

// A JSON whole number within `range`; 2.5, 1e2, "3" and true are not.
Result<int64_t> WholeNumber(std::string_view field, const json& value, const WholeRange& range) {
  const std::string got = value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (value.is_number_unsigned()) {
    // 0 and every positive number parse as unsigned.
    uint64_t n = value.get<uint64_t>();
    if (n > static_cast<uint64_t>(range.max) || static_cast<int64_t>(n) < range.min) {
      return NotInRange(field, range, got);
    }
    return static_cast<int64_t>(n);
  }
  if (!value.is_number_integer()) return NotInRange(field, range, got);
  int64_t n = value.get<int64_t>();
  if (n < range.min || n > range.max) return NotInRange(field, range, got);
  return n;
}

// A whole number given as text (a query parameter) within `range`.
Result<int64_t> ParseInteger(std::string_view field, std::string_view text,
                             const WholeRange& range) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < range.min ||
      value > range.max) {
    return NotInRange(field, range, fmt::format("\"{}\"", text));
  }
  return value;
}

// The IMEIs of a search list: every entry must be an IMEI.
Result<std::vector<std::string>> SearchImeis(const CheckReport& report, std::string_view field,
                                             bool by_index) {
  if (report.invalid.empty()) return report.imeis;
  const InvalidEntry& first = report.invalid.front();
  std::string where = by_index ? fmt::format("{}[{}]", field, first.line - 1) : std::string(field);
  return FieldError(where, fmt::format("\"{}\" is not an IMEI: {} ({} invalid entr{} in all)",
                                       first.input, first.reason, report.invalid.size(),
                                       report.invalid.size() == 1 ? "y" : "ies"));
}

// Applies one named filter value (from a query parameter or a JSON member
// given as text) to `filter`.
Status ApplyFilter(std::string_view name, const std::string& value, store::OrderFilter& filter) {
  if (name == "status") {
    filter.status = store::ParseOrderStatus(value);
    if (filter.status) return Status::Ok();
    return FieldError(name, fmt::format("\"{}\" is not a status (one of: {})", value,
                                        store::OrderStatusNameList()));
  }
  if (std::find(store::kResultFilterNames.begin(), store::kResultFilterNames.end(), name) !=
      store::kResultFilterNames.end()) {
    Status s = store::SetResultFilter(name, value, filter);
    return s.ok() ? s : FieldError(name, s.message());
  }
  if (name == "service") {
    filter.service_id = value;
    return Status::Ok();
  }
  if (name == "since" || name == "until") {
    std::optional<int64_t> at = ParseIsoUtc(value);
    if (!at) {
      return FieldError(name, fmt::format("\"{}\" is not a date (YYYY-MM-DD or "
                                          "YYYY-MM-DDTHH:MM:SSZ)",
                                          value));
    }
    if (name == "since") {
      filter.since_ms = at;
    } else {
      // "until 2026-11-30" includes that day; a time is the exclusive end.
      filter.until_ms = value.size() == kDateLength ? *at + kDayMs : *at;
    }
    return Status::Ok();
  }
  std::optional<WholeRange> range = FilterRange(name);
  if (!range) return FieldError(name, "is not a filter");
  Result<int64_t> number = ParseInteger(name, value, *range);
  if (!number.ok()) return number.status();
  if (name == "job") filter.job_id = *number;
  if (name == "limit") filter.limit = *number;
  if (name == "offset") filter.offset = *number;
  return Status::Ok();
}

constexpr std::string_view kFilterNames[] = {"status", "service", "job",     "since",
                                             "until",  "limit",   "offset",  "fmi",
                                             "simlock", "carrier", "blacklisted", "code"};

}  // namespace

Result<JobRequest> ParseJobRequest(std::string_view body, size_t max_imeis) {
  Result<json> object = ParseObject(body, {{"batch_size", kBatchSizeRange}});
  if (!object.ok()) return object.status();
  if (Status s = OnlyKnownFields(
          *object, {"service_id", "imeis", "recheck", "skip_rejected", "dry_run", "batch_size"});
      !s.ok()) {
    return s;
  }
  JobRequest request;
  if (!object->contains("service_id")) return FieldError("service_id", "missing");
  const json& service = (*object)["service_id"];
  if (!service.is_string() || service.get<std::string>().empty()) {
    return FieldError("service_id", "must be a non-empty string, e.g. \"1739\"");
  }
  request.service_id = service.get<std::string>();
  if (!object->contains("imeis")) return FieldError("imeis", "missing");
  Result<std::vector<std::string>> imeis = StringArray(*object, "imeis", max_imeis);
  if (!imeis.ok()) return imeis.status();
  if (imeis->empty()) return FieldError("imeis", "is empty");
  request.imeis = std::move(*imeis);
  for (auto [name, flag] :
       {std::pair{"recheck", &request.recheck}, std::pair{"skip_rejected", &request.skip_rejected},
        std::pair{"dry_run", &request.dry_run}}) {
    auto member = object->find(name);
    if (member == object->end()) continue;
    if (!member->is_boolean()) return FieldError(name, "must be true or false");
    *flag = member->get<bool>();
  }
  if (auto batch = object->find("batch_size"); batch != object->end()) {
    Result<int64_t> size = WholeNumber("batch_size", *batch, kBatchSizeRange);
    if (!size.ok()) return size.status();
    request.batch_size = static_cast<int>(*size);
  }
  return request;
}

CheckReport CheckImeiList(const std::vector<std::string>& entries) {
  CheckReport report;
  std::map<std::string, int> first_line;
  for (size_t i = 0; i < entries.size(); ++i) {
    const int line = static_cast<int>(i) + 1;
    NormalizedImei n = NormalizeImei(entries[i]);
    if (n.verdict == ImeiVerdict::kInvalid) {
      report.invalid.push_back({line, entries[i], n.reason});
      continue;
    }
    auto [seen, inserted] = first_line.emplace(n.imei, line);
    if (!inserted) {
      report.duplicates.push_back({line, n.imei, seen->second, entries[i]});
      continue;
    }
    if (n.verdict == ImeiVerdict::kCompleted)
      report.completed.push_back({line, n.imei, entries[i]});
    report.imeis.push_back(n.imei);
    report.imei_lines.push_back(line);
  }
  return report;
}

Result<store::OrderFilter> ParseOrdersQuery(const QueryParam& param) {
  store::OrderFilter filter;
  if (std::optional<std::string> list = param("imei"); list && !list->empty()) {
    Result<CheckReport> report = ParseImeiInput(*list, "imei");
    if (!report.ok()) return report.status();
    Result<std::vector<std::string>> imeis = SearchImeis(*report, "imei", false);
    if (!imeis.ok()) return imeis.status();
    filter.imeis = std::move(*imeis);
  }
  for (std::string_view name : kFilterNames) {
    std::optional<std::string> value = param(name);
    if (!value) continue;
    if (Status s = ApplyFilter(name, *value, filter); !s.ok()) return s;
  }
  return filter;
}

Result<store::OrderFilter> ParseOrdersQuery(const HttpParams& query) {
  if (Status s = CheckQueryParams(query, kOrdersQueryParams); !s.ok()) return s;
  return ParseOrdersQuery([&query](std::string_view name) -> std::optional<std::string> {
    auto [first, last] = query.equal_range(name);
    if (first == last) return std::nullopt;
    std::string joined = first->second;
    // Repeated imei parameters (imei=1&imei=2) are one list, a line each.
    for (auto it = std::next(first); it != last; ++it) joined += "\n" + it->second;
    return joined;
  });
}

Status CheckQueryParams(const HttpParams& query, std::span<const std::string_view> allowed) {
  for (auto it = query.begin(); it != query.end(); it = query.upper_bound(it->first)) {
    const std::string& name = it->first;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string known = allowed.empty()
                              ? std::string("this endpoint takes no parameters")
                              : fmt::format("the parameters are: {}", fmt::join(allowed, ", "));
      return FieldError(name, fmt::format("unknown parameter; {}", known));
    }
    if (name != "imei" && query.count(name) > 1) {
      return FieldError(name, fmt::format("given {} times; give it once", query.count(name)));
    }
  }
  return Status::Ok();
}

Result<store::OrderFilter> ParseOrdersSearch(std::string_view body, size_t max_imeis) {
  Result<json> object =
      ParseObject(body, {{"job", kJobIdRange}, {"limit", kLimitRange}, {"offset", kOffsetRange}});
  if (!object.ok()) return object.status();
  if (Status s = OnlyKnownFields(
          *object, {"imeis", "status", "service", "job", "since", "until", "limit", "offset",
                    "fmi", "simlock", "carrier", "blacklisted", "code"});
      !s.ok()) {
    return s;
  }
  store::OrderFilter filter;
  if (object->contains("imeis")) {
    Result<std::vector<std::string>> entries = StringArray(*object, "imeis", max_imeis);
    if (!entries.ok()) return entries.status();
    Result<std::vector<std::string>> imeis = SearchImeis(CheckImeiList(*entries), "imeis", true);
    if (!imeis.ok()) return imeis.status();
    filter.imeis = std::move(*imeis);
  }
  for (std::string_view name : kFilterNames) {
    auto member = object->find(std::string(name));
    if (member == object->end()) continue;
    std::optional<WholeRange> range = FilterRange(name);
    std::string text;
    if (member->is_string()) {
      text = member->get<std::string>();
    } else if (range) {
      Result<int64_t> number = WholeNumber(name, *member, *range);
      if (!number.ok()) return number.status();
      text = std::to_string(*number);
    } else {
      return FieldError(name, "must be a string");
    }
    if (Status s = ApplyFilter(name, text, filter); !s.ok()) return s;
  }
  return filter;
}

}  // namespace imeiflow::web
