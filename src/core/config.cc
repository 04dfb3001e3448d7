#include "core/config.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <span>
#include <toml.hpp>
#include <variant>

#include "core/ascii.h"
#include "core/money.h"

extern char** environ;  // POSIX: the process environment, for ProcessEnvNames

namespace imeiflow {
namespace {

using StringField = std::string& (*)(Config&);
using IntField = int& (*)(Config&);
using BoolField = bool& (*)(Config&);

/// What a setting accepts beyond its type.
enum class Rule {
  kNone,
  kSecret,    // a string never shown in messages
  kLogLevel,  // a string naming a spdlog level
  kPositive,  // an int > 0
  kMoney,     // a string holding an amount, e.g. "50.00", or empty
  kChoice,    // a string among Setting::choices
  kTimeOfDay, // a string "HH:MM", 00:00 to 23:59
};

/// One `[section] key`: where it lives in Config and what it accepts.
/// Adding a setting (or a section) is adding a row to kSettings.
struct Setting {
  std::string_view section;
  std::string_view key;
  std::variant<StringField, IntField, BoolField> field;
  Rule rule = Rule::kNone;
  int max = INT_MAX;  // an int setting's largest value: beyond, it is refused, never clamped
  std::span<const std::string_view> choices = {};  // the values a kChoice setting accepts
};

// A call that outlasts this is stuck, not slow: the dispatcher's retries and
// the syncer's polls depend on calls that end.
constexpr int kMaxTimeoutS = 3600;

constexpr std::array<std::string_view, 2> kProtocols = {"gsmfusion", "dhru"};
constexpr std::array<std::string_view, 2> kDhruParameters = {"base64", "xml"};

// clang-format off
// std::to_array counts the rows, so adding a setting is one line.
const auto kSettings = std::to_array<Setting>({
    {"upstream", "protocol", [](Config& c) -> auto& { return c.upstream.protocol; }, Rule::kChoice, INT_MAX, kProtocols},
    {"upstream", "dhru_parameters", [](Config& c) -> auto& { return c.upstream.dhru_parameters; }, Rule::kChoice, INT_MAX, kDhruParameters},
    {"upstream", "url", [](Config& c) -> auto& { return c.upstream.url; }},
    {"upstream", "user", [](Config& c) -> auto& { return c.upstream.user; }},
    {"upstream", "api_key", [](Config& c) -> auto& { return c.upstream.api_key; }, Rule::kSecret},
    {"upstream", "api_key_file", [](Config& c) -> auto& { return c.upstream.api_key_file; }},
    {"upstream", "timeout_s", [](Config& c) -> auto& { return c.upstream.timeout_s; }, Rule::kPositive, kMaxTimeoutS},
    {"upstream", "connect_timeout_s", [](Config& c) -> auto& { return c.upstream.connect_timeout_s; }, Rule::kPositive, kMaxTimeoutS},
    {"upstream", "ca_file", [](Config& c) -> auto& { return c.upstream.ca_file; }},
    {"upstream", "refuses_duplicates", [](Config& c) -> auto& { return c.upstream.refuses_duplicates; }},
    {"upstream", "refunds_rejected", [](Config& c) -> auto& { return c.upstream.refunds_rejected; }},
    {"log", "level", [](Config& c) -> auto& { return c.log.level; }, Rule::kLogLevel},
    {"log", "file", [](Config& c) -> auto& { return c.log.file; }},
    {"store", "path", [](Config& c) -> auto& { return c.store.path; }},
    {"dispatch", "max_in_flight", [](Config& c) -> auto& { return c.dispatch.max_in_flight; }, Rule::kPositive},
    {"dispatch", "initial_in_flight", [](Config& c) -> auto& { return c.dispatch.initial_in_flight; }, Rule::kPositive},
    {"dispatch", "retry_budget", [](Config& c) -> auto& { return c.dispatch.retry_budget; }, Rule::kPositive},
    {"dispatch", "grace_s", [](Config& c) -> auto& { return c.dispatch.grace_s; }, Rule::kPositive},
    {"spending", "daily_cap", [](Config& c) -> auto& { return c.spending.daily_cap; }, Rule::kMoney},
    {"sync", "batch_size", [](Config& c) -> auto& { return c.sync.batch_size; }, Rule::kPositive},
    {"sync", "first_poll_s", [](Config& c) -> auto& { return c.sync.first_poll_s; }, Rule::kPositive},
    {"sync", "max_poll_interval_s", [](Config& c) -> auto& { return c.sync.max_poll_interval_s; }, Rule::kPositive},
    {"sync", "give_up_after_days", [](Config& c) -> auto& { return c.sync.give_up_after_days; }, Rule::kPositive},
    {"web", "listen", [](Config& c) -> auto& { return c.web.listen; }},
    {"web", "tls_cert", [](Config& c) -> auto& { return c.web.tls_cert; }},
    {"web", "tls_key", [](Config& c) -> auto& { return c.web.tls_key; }},
    {"web", "upload_limit_mb", [](Config& c) -> auto& { return c.web.upload_limit_mb; }, Rule::kPositive},
    {"web", "session_idle_min", [](Config& c) -> auto& { return c.web.session_idle_min; }, Rule::kPositive},
    {"web", "session_max_hours", [](Config& c) -> auto& { return c.web.session_max_hours; }, Rule::kPositive},
    {"backup", "dir", [](Config& c) -> auto& { return c.backup.dir; }},
    {"backup", "keep", [](Config& c) -> auto& { return c.backup.keep; }, Rule::kPositive},
    {"backup", "daily_at", [](Config& c) -> auto& { return c.backup.daily_at; }, Rule::kTimeOfDay},
});
// clang-format on

constexpr std::string_view kEnvPrefix = "IMEIFLOW_";

// "HH:MM" as minutes after midnight; nullopt unless two digits, a colon and
// two digits within a day.
std::optional<int> MinuteOfDay(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  int hours = (text[0] - '0') * 10 + (text[1] - '0');
  int minutes = (text[3] - '0') * 10 + (text[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

const Setting* FindSetting(std::string_view section, std::string_view key) {
  for (const Setting& s : kSettings) {
    if (s.section == section && s.key == key) return &s;
  }
  return nullptr;
}

bool IsSection(std::string_view section) {
  return std::any_of(kSettings.begin(), kSettings.end(),
                     [&](const Setting& s) { return s.section == section; });
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string EnvName(const Setting& s) {
  return fmt::format("{}{}_{}", kEnvPrefix, Upper(s.section), Upper(s.key));
}

// Each Set* below stores a value into `config` and returns "" on success, or
// what was wrong ("expected a positive integer, got \"abc\""). `shown` is how
// the rejected value is quoted back; secrets are never shown.

std::string SetString(const Setting& s, StringField field, std::string value, Config& config) {
  if (s.rule == Rule::kLogLevel) {
    std::string problem = LogLevelProblem(value);
    if (!problem.empty()) return problem;
  }
  if (s.rule == Rule::kMoney && !value.empty()) {
    Result<Money> amount = Money::Parse(value);
    if (!amount.ok()) return fmt::format("expected an amount such as \"50.00\", got \"{}\"", value);
  }
  if (s.rule == Rule::kChoice &&
      std::find(s.choices.begin(), s.choices.end(), value) == s.choices.end()) {
    return fmt::format("expected one of {}, got \"{}\"", fmt::join(s.choices, ", "), value);
  }
  if (s.rule == Rule::kTimeOfDay && !MinuteOfDay(value)) {
    return fmt::format("expected a UTC time \"HH:MM\" such as \"03:00\", got \"{}\"", value);
  }
  field(config) = std::move(value);
  return "";
}

std::string SetInt(const Setting& s, IntField field, std::optional<int64_t> value,
                   const std::string& shown, Config& config) {
  int64_t min = s.rule == Rule::kPositive ? 1 : INT_MIN;
  if (value && s.max != INT_MAX && *value > s.max) {
    return fmt::format("expected a whole number from {} to {}, got {}", min, s.max, shown);
  }
  if (!value || *value < min || *value > s.max) {
    return fmt::format("expected {}, got {}",
                       s.rule == Rule::kPositive ? "a positive integer" : "an integer", shown);
  }
  field(config) = static_cast<int>(*value);
  return "";
}

std::string SetBool(BoolField field, std::optional<bool> value, const std::string& shown,
                    Config& config) {
  if (!value) return fmt::format("expected true or false, got {}", shown);
  field(config) = *value;
  return "";
}

std::string Shown(const Setting& s, const toml::value& v) {
  if (s.rule == Rule::kSecret) return "a value that is not shown";
  if (v.is_table()) return "a table";
  if (v.is_array()) return "an array";
  return toml::format(v);
}

std::string SetFromToml(const Setting& s, const toml::value& v, Config& config) {
  if (auto* field = std::get_if<StringField>(&s.field)) {
    if (!v.is_string()) {
      return s.rule == Rule::kSecret ? "expected a string"
                                     : fmt::format("expected a string, got {}", Shown(s, v));
    }
    return SetString(s, *field, v.as_string().str, config);
  }
  if (auto* field = std::get_if<IntField>(&s.field)) {
    std::optional<int64_t> value;
    if (v.is_integer()) value = v.as_integer();
    return SetInt(s, *field, value, Shown(s, v), config);
  }
  std::optional<bool> value;
  if (v.is_boolean()) value = v.as_boolean();
  return SetBool(std::get<BoolField>(s.field), value, Shown(s, v), config);
}

std::string SetFromEnv(const Setting& s, const std::string& text, Config& config) {
  if (auto* field = std::get_if<StringField>(&s.field)) {
    return SetString(s, *field, text, config);
  }
  std::string shown = fmt::format("\"{}\"", text);
  if (auto* field = std::get_if<IntField>(&s.field)) {
    int64_t number = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, number);
    std::optional<int64_t> value;
    if (ec == std::errc() && ptr == end && !text.empty()) value = number;
    return SetInt(s, *field, value, shown, config);
  }
  std::string word = AsciiLower(text);
  std::optional<bool> value;
  if (word == "true" || word == "1" || word == "yes") value = true;
  if (word == "false" || word == "0" || word == "no") value = false;
  return SetBool(std::get<BoolField>(s.field), value, shown, config);
}

/// Entries of a TOML table in file order, so the first error reported is the
/// first in the file.
std::vector<std::pair<std::string, const toml::value*>> InFileOrder(const toml::table& table) {
  std::vector<std::pair<std::string, const toml::value*>> entries;
  for (const auto& [key, value] : table) entries.emplace_back(key, &value);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.second->location().line() < b.second->location().line();
  });
  return entries;
}

/// The message of a toml11 syntax error, without the quoted source line (it
/// may hold a secret): "[error] toml::parse_x: what\n --> ..." -> "what".
std::string SyntaxProblem(const std::string& what) {
  std::string first = what.substr(0, what.find('\n'));
  if (first.rfind("[error] ", 0) == 0) first.erase(0, 8);
  if (first.rfind("toml::", 0) == 0 && first.find(": ") != std::string::npos) {
    first.erase(0, first.find(": ") + 2);
  }
  return first;
}

/// The settings a file or the environment gave a value, so defaults that
/// depend on another setting apply only where nothing was set.
using SetKeys = std::set<const Setting*>;

Status ApplyFile(const std::string& path, Config& config, SetKeys& set) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(fmt::format("config file {}: cannot open", path));
  toml::value root;
  try {
    root = toml::parse(in, path);
  } catch (const toml::exception& e) {
    return Status::InvalidArgument(fmt::format("config file {} line {}: {}", path,
                                               e.location().line(), SyntaxProblem(e.what())));
  } catch (const std::exception& e) {
    return Status::InvalidArgument(
        fmt::format("config file {}: {}", path, SyntaxProblem(e.what())));
  }
  auto where = [&](const toml::value& v) {
    return fmt::format("config file {} line {}", path, v.location().line());
  };
  for (const auto& [section, body] : InFileOrder(root.as_table())) {
    if (!IsSection(section)) {
      return Status::InvalidArgument(
          fmt::format("{}: unknown section [{}]", where(*body), section));
    }
    if (!body->is_table()) {
      return Status::InvalidArgument(
          fmt::format("{}: [{}] must be a section (a table)", where(*body), section));
    }
    for (const auto& [key, value] : InFileOrder(body->as_table())) {
      const Setting* setting = FindSetting(section, key);
      if (setting == nullptr) {
        return Status::InvalidArgument(
            fmt::format("{}: [{}] {}: unknown key", where(*value), section, key));
      }
      std::string problem = SetFromToml(*setting, *value, config);
      if (!problem.empty()) {
        return Status::InvalidArgument(
            fmt::format("{}: [{}] {}: {}", where(*value), section, key, problem));
      }
      set.insert(setting);
    }
  }
  return Status::Ok();
}

/// Rejects IMEIFLOW_<SECTION>_<KEY> variables whose key is unknown.
Status CheckEnvNames(const GetEnv& env, const EnvNames& names) {
  for (const std::string& name : names()) {
    for (const Setting& s : kSettings) {
      std::string prefix = fmt::format("{}{}_", kEnvPrefix, Upper(s.section));
      if (name.rfind(prefix, 0) != 0) continue;
      std::string key = AsciiLower(std::string_view(name).substr(prefix.size()));
      if (FindSetting(s.section, key) == nullptr && env(name).has_value()) {
        return Status::InvalidArgument(fmt::format(
            "environment variable {}: unknown key \"{}\" in [{}]", name, key, s.section));
      }
      break;
    }
  }
  return Status::Ok();
}

Status ApplyEnv(const GetEnv& env, const EnvNames& names, Config& config, SetKeys& set) {
  Status status = CheckEnvNames(env, names);
  if (!status.ok()) return status;
  for (const Setting& s : kSettings) {
    std::string name = EnvName(s);
    std::optional<std::string> text = env(name);
    if (!text) continue;
    std::string problem = SetFromEnv(s, *text, config);
    if (!problem.empty()) {
      return Status::InvalidArgument(fmt::format("environment variable {}: {}", name, problem));
    }
    set.insert(&s);
  }
  return Status::Ok();
}

std::string Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(kSpace);
  return std::string(text.substr(begin, end - begin + 1));
}

}  // namespace

GetEnv ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

EnvNames ProcessEnvNames() {
  return [] {
    std::vector<std::string> names;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
      std::string_view text(*entry);
      names.emplace_back(text.substr(0, text.find('=')));
    }
    return names;
  };
}

Result<Config> LoadConfig(const std::string& path, const GetEnv& env, const EnvNames& names) {
  Config config;
  SetKeys set;
  std::string file = path;
  std::string origin;
  if (file.empty()) {
    file = env("IMEIFLOW_CONFIG").value_or("");
    origin = " (from IMEIFLOW_CONFIG)";
  }
  if (!file.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
      return Status::NotFound(fmt::format("config file {}{}: does not exist", file, origin));
    }
    Status status = ApplyFile(file, config, set);
    if (!status.ok()) return status;
  }
  Status status = ApplyEnv(env, names, config, set);
  if (!status.ok()) return status;
  // Whether a DHRU supplier refuses a repeated IMEI varies (some charge again),
  // so an uncertain DHRU call waits for a person unless the shop says otherwise.
  if (config.upstream.protocol == "dhru" &&
      !set.contains(FindSetting("upstream", "refuses_duplicates"))) {
    config.upstream.refuses_duplicates = false;
  }
  return config;
}

Result<std::optional<Money>> SpendingConfig::DailyCap() const {
  if (daily_cap.empty()) return std::optional<Money>();
  Result<Money> cap = Money::Parse(daily_cap);
  if (!cap.ok()) {
    return Status::InvalidArgument(fmt::format("spending.daily_cap: {}", cap.status().message()));
  }
  return std::optional<Money>(*cap);
}

Result<int> BackupConfig::DailyAtMinute() const {
  std::optional<int> minute = MinuteOfDay(daily_at);
  if (!minute) {
    return Status::InvalidArgument(fmt::format(
        "backup.daily_at: expected a UTC time \"HH:MM\" such as \"03:00\", got \"{}\"", daily_at));
  }
  return *minute;
}

Result<std::string> Config::ResolveApiKey() const {
  if (!upstream.api_key.empty() && !upstream.api_key_file.empty()) {
    return Status::InvalidArgument("set only one of upstream.api_key and upstream.api_key_file");
  }
  if (!upstream.api_key.empty()) return upstream.api_key;
  const std::string& file = upstream.api_key_file;
  if (file.empty()) {
    return Status::InvalidArgument("no API key: set upstream.api_key or upstream.api_key_file");
  }
  std::ifstream in(file, std::ios::binary);
  std::string line;
  if (in) std::getline(in, line);
  if (!in.is_open() || in.bad()) {
    return Status::IoError(
        fmt::format("upstream.api_key_file {}: cannot read ({})", file, std::strerror(errno)));
  }
  std::string key = Trim(line);
  if (key.empty()) {
    return Status::InvalidArgument(
        fmt::format("upstream.api_key_file {}: the first line is empty", file));
  }
  return key;
}

std::string ApiKeyFingerprint(std::string_view key) {
  uint64_t hash = 14695981039346656037ULL;  // FNV-1a 64-bit offset basis
  for (char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;  // FNV-1a 64-bit prime
  }
  return fmt::format("{:08x}", hash >> 32);
}

}  // namespace imeiflow
