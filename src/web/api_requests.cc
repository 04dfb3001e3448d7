#include "web/api_requests.h"

#include <fmt/format.h>

#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/imei.h"
#include "core/time_text.h"

namespace imeiflow::web {
namespace {

using nlohmann::json;

constexpr const char* kOrderStatuses[] = {"pending", "in_process", "completed", "rejected",
                                          "unconfirmed"};

Status FieldError(std::string_view field, std::string_view what) {
  return Status::InvalidArgument(fmt::format("{}: {}", field, what));
}

// The body as a JSON object, or an error saying where the syntax broke.
Result<json> ParseObject(std::string_view body) {
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument(fmt::format("the body is not valid JSON: {}", e.what()));
  }
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
  const json& array = object.at(std::string(field));
  if (!array.is_array()) return FieldError(field, "must be an array of strings");
  if (array.size() > max_items) {
    return Status::TooLarge(
        fmt::format("{}: {}", field, CheckJobSize(array.size(), max_items).message()));
  }
  std::vector<std::string> out;
  out.reserve(array.size());
  for (size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_string())
      return FieldError(fmt::format("{}[{}]", field, i), "must be a string");
    out.push_back(array[i].get<std::string>());
  }
  return out;
}

Result<int64_t> ParseInteger(std::string_view field, std::string_view text, int64_t min,
                             int64_t max) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return FieldError(field, fmt::format("\"{}\" is not a whole number", text));
  }
  if (value < min || value > max) {
    return FieldError(field, fmt::format("{} is out of range ({} to {})", value, min, max));
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
    for (const char* s : kOrderStatuses) {
      if (value == s) {
        filter.status = value;
        return Status::Ok();
      }
    }
    return FieldError(name, fmt::format("\"{}\" is not a status (one of: {})", value,
                                        fmt::join(kOrderStatuses, ", ")));
  }
  if (name == "service") {
    filter.service_id = value;
    return Status::Ok();
  }
  if (name == "since") {
    std::optional<int64_t> since = ParseIsoUtc(value);
    if (!since) return FieldError(name, fmt::format("\"{}\" is not a date (YYYY-MM-DD)", value));
    filter.since_ms = since;
    return Status::Ok();
  }
  Result<int64_t> number = name == "job"     ? ParseInteger(name, value, 1, INT64_MAX)
                           : name == "limit" ? ParseInteger(name, value, 1, kMaxOrdersPage)
                                             : ParseInteger(name, value, 0, INT64_MAX);
  if (!number.ok()) return number.status();
  if (name == "job") filter.job_id = *number;
  if (name == "limit") filter.limit = *number;
  if (name == "offset") filter.offset = *number;
  return Status::Ok();
}

constexpr std::string_view kFilterNames[] = {"status", "service", "job",
                                             "since",  "limit",   "offset"};

}  // namespace

Result<JobRequest> ParseJobRequest(std::string_view body, size_t max_imeis) {
  Result<json> object = ParseObject(body);
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
  if (object->contains("batch_size")) {
    const json& batch = (*object)["batch_size"];
    if (!batch.is_number_integer() || batch.get<int64_t>() < 1 || batch.get<int64_t>() > 100) {
      return FieldError("batch_size", "must be a whole number from 1 to 100");
    }
    request.batch_size = batch.get<int>();
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

Result<store::OrderFilter> ParseOrdersSearch(std::string_view body, size_t max_imeis) {
  Result<json> object = ParseObject(body);
  if (!object.ok()) return object.status();
  if (Status s = OnlyKnownFields(*object,
                                 {"imeis", "status", "service", "job", "since", "limit", "offset"});
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
    std::string text;
    if (member->is_string()) {
      text = member->get<std::string>();
    } else if (member->is_number_integer() &&
               (name == "job" || name == "limit" || name == "offset")) {
      text = std::to_string(member->get<int64_t>());
    } else {
      return FieldError(name, name == "job" || name == "limit" || name == "offset"
                                  ? "must be a whole number"
                                  : "must be a string");
    }
    if (Status s = ApplyFilter(name, text, filter); !s.ok()) return s;
  }
  return filter;
}

}  // namespace imeiflow::web
