// `imeiflow doctor [--json]`: checks the configuration, that the supplier can
// be reached and that it accepts the credentials; says plainly what is wrong
// and exits 1 when anything is.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_env.h"
#include "core/clock.h"
#include "core/config.h"
#include "store/dispatch_repository.h"
#include "store/review_repository.h"
#include "store/settings_repository.h"
#include "store/sync_repository.h"
#include "upstream/http/redact.h"
#include "upstream/supplier_connection.h"

namespace imeiflow::cli {

namespace {

struct Check {
  std::string name;  // "config", "upstream.url", ...
  bool ok = false;
  std::string detail;  // what was found, or what is wrong
};

// Today's spending (charged minus refunded) against the daily cap in force,
// and where that cap comes from.
void CheckSpending(store::Database& db, const Config& config, std::vector<Check>& checks) {
  Result<std::optional<Money>> configured = config.spending.DailyCap();
  if (!configured.ok()) {
    checks.push_back({"spending", false, configured.status().message()});
    return;
  }
  Result<store::DailyCap> cap = store::SettingsRepository(db).DailyCapInForce(*configured);
  Result<store::DaySpending> today =
      store::DispatchRepository(db).SpendingOn(SystemClock().NowMs());
  if (!cap.ok() || !today.ok()) {
    checks.push_back({"spending", false, (!cap.ok() ? cap.status() : today.status()).message()});
    return;
  }
  std::string source = cap->source == store::CapSource::kPage
                           ? fmt::format("set on the settings page by {}", cap->set_by)
                       : cap->source == store::CapSource::kConfig ? "from spending.daily_cap"
                                                                  : "none set";
  checks.push_back(
      {"spending", true,
       fmt::format("spent today {} ({} charged, {} refunded); daily cap {} ({})",
                   today->spent().ToDisplay(), today->charged.ToDisplay(),
                   today->refunded.ToDisplay(), store::DailyCapText(cap->cap), source)});
}

// The database: it opens and migrates; how the dispatcher has found the
// supplier; what waits for a person; orders still awaiting a result.
void CheckDatabase(const GlobalOptions& global, const Config& config, std::vector<Check>& checks) {
  std::string path = DatabasePath(global, config);
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, config);
  if (!db.ok()) {
    checks.push_back({"database", false, db.status().message()});
    return;
  }
  Result<int> version = (*db)->SchemaVersion();
  checks.push_back(
      {"database", version.ok(),
       version.ok() ? fmt::format("{} (schema {})", path, *version) : version.status().message()});
  Result<std::optional<std::string>> single =
      store::SettingsRepository(**db).Get(store::kOneImeiPerCallSetting);
  if (single.ok() && single->has_value()) {
    checks.push_back({"batching", true, "one IMEI per call: " + **single});
  }
  CheckSpending(**db, config, checks);
  Result<int64_t> review = store::ReviewRepository(**db).Count();
  if (review.ok()) {
    checks.push_back({"review", true,
                      *review == 0 ? "no item awaits review"
                                   : fmt::format("{} item(s) may have been ordered and await a"
                                                 " decision: imeiflow review",
                                                 *review)});
  }
  Result<store::SyncCounts> open = store::SyncRepository(**db).Counts(SystemClock().NowMs());
  if (open.ok()) {
    checks.push_back(
        {"sync", true,
         fmt::format("orders awaiting a result: {} pending, {} in process ({} due"
                     " now), {} stale, {} unconfirmed; {} known from the supplier's export"
                     " (no status polling)",
                     open->pending, open->in_process, open->due, open->stale, open->unconfirmed,
                     open->known_from_export)});
  }
}

std::vector<Check> RunChecks(const GlobalOptions& global) {
  std::vector<Check> checks;
  Result<Config> config = LoadConfig(global.config_path, ProcessEnv());
  if (!config.ok()) {
    checks.push_back({"config", false, config.status().message()});
    return checks;
  }
  if (Status s = SetUpLogging(config->log); !s.ok()) {
    checks.push_back({"log", false, s.message()});
    return checks;
  }
  checks.push_back({"config", true,
                    global.config_path.empty() ? "loaded (defaults, IMEIFLOW_CONFIG, environment)"
                                               : "loaded " + global.config_path});
  CheckDatabase(global, *config, checks);
  const UpstreamConfig& up = config->upstream;
  bool url_ok = up.url.rfind("https://", 0) == 0 || up.url.rfind("http://", 0) == 0;
  std::string shown_url = upstream::RedactUrl(up.url);  // a password in it stays hidden
  checks.push_back({"upstream.url", url_ok,
                    up.url.empty() ? "not set (set [upstream] url or IMEIFLOW_UPSTREAM_URL)"
                    : url_ok       ? shown_url
                                   : "\"" + shown_url + "\" is not an http:// or https:// URL"});
  checks.push_back(
      {"upstream.user", !up.user.empty(),
       up.user.empty() ? "not set (set [upstream] user or IMEIFLOW_UPSTREAM_USER)" : up.user});
  Result<std::string> key = config->ResolveApiKey();
  bool key_ok = key.ok() && !key->empty();
  checks.push_back(
      {"upstream.api_key", key_ok,
       !key.ok() ? key.status().message()
       : key->empty()
           ? "not set (set [upstream] api_key_file, api_key or IMEIFLOW_UPSTREAM_API_KEY)"
           : "present (key#" + ApiKeyFingerprint(*key) + ")"});
  if (!url_ok || up.user.empty() || !key_ok) return checks;

  Result<std::unique_ptr<upstream::SupplierConnection>> supplier =
      upstream::SupplierConnection::Open(*config);
  if (!supplier.ok()) {
    checks.push_back({"supplier", false, supplier.status().message()});
    return checks;
  }
  upstream::CallVerdict v = (*supplier)->provider().ProbeBlocking();
  using upstream::CallClass;
  bool reached = v.call_class == CallClass::kApplied || v.call_class == CallClass::kFatal ||
                 v.http_status != 0;
  checks.push_back({"supplier reachable", reached,
                    reached ? upstream::gsmfusion::ApiUrl(shown_url) + " answers" : v.message});
  if (reached) {
    checks.push_back(
        {"supplier credentials", v.call_class == CallClass::kApplied,
         v.call_class == CallClass::kApplied ? "accepted for user " + up.user : v.message});
  }
  return checks;
}

}  // namespace

void AddDoctorCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto* cmd =
      app.add_subcommand("doctor", "Check configuration, supplier reachability and credentials");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "print JSON");
  cmd->callback([&global, &outcome, json]() {
    std::vector<Check> checks = RunChecks(global);
    bool all_ok = true;
    for (const Check& c : checks) all_ok = all_ok && c.ok;
    if (*json) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (const Check& c : checks)
        list.push_back({{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}});
      fmt::print("{}\n", nlohmann::ordered_json{{"ok", all_ok}, {"checks", list}}.dump(2));
    } else {
      for (const Check& c : checks)
        fmt::print("{}  {}: {}\n", c.ok ? "ok  " : "FAIL", c.name, c.detail);
    }
    outcome.exit_code = all_ok ? kExitOk : kExitFailure;
  });
}

}  // namespace imeiflow::cli
