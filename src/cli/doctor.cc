// `imeiflow doctor [--json]`: checks the configuration, that the supplier can
// be reached and that it accepts the credentials; says plainly what is wrong
// and exits 1 when anything is.
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "core/config.h"
#include "upstream/gsmfusion/client.h"
#include "upstream/http/curl_transport.h"

namespace imeiflow::cli {

namespace {

struct Check {
  std::string name;  // "config", "upstream.url", ...
  bool ok = false;
  std::string detail;  // what was found, or what is wrong
};

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
  const UpstreamConfig& up = config->upstream;
  bool url_ok = up.url.rfind("https://", 0) == 0 || up.url.rfind("http://", 0) == 0;
  checks.push_back({"upstream.url", url_ok,
                    up.url.empty() ? "not set (set [upstream] url or IMEIFLOW_UPSTREAM_URL)"
                    : url_ok       ? up.url
                                   : "\"" + up.url + "\" is not an http:// or https:// URL"});
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
           : "present (" + upstream::gsmfusion::KeyFingerprint(*key) + ")"});
  if (!url_ok || up.user.empty() || !key_ok) return checks;

  upstream::CurlTransportOptions options;
  options.ca_file = up.ca_file;
  upstream::CurlTransport transport(options);
  upstream::gsmfusion::Client client(upstream::gsmfusion::SettingsFromConfig(up, *key), transport);
  upstream::CallVerdict v = client.ProbeBlocking();
  using upstream::CallClass;
  bool reached = v.call_class == CallClass::kApplied || v.call_class == CallClass::kFatal ||
                 v.http_status != 0;
  checks.push_back({"supplier reachable", reached,
                    reached ? upstream::gsmfusion::ApiUrl(up.url) + " answers" : v.message});
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
  auto* json = new bool(false);  // lives as long as the process, like the app
  cmd->add_flag("--json", *json, "print JSON");
  cmd->callback([&global, &outcome, json]() {
    std::vector<Check> checks = RunChecks(global);
    bool all_ok = true;
    for (const Check& c : checks) all_ok = all_ok && c.ok;
    if (*json) {
      nlohmann::json list = nlohmann::json::array();
      for (const Check& c : checks)
        list.push_back({{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}});
      fmt::print("{}\n", nlohmann::json{{"ok", all_ok}, {"checks", list}}.dump(2));
    } else {
      for (const Check& c : checks)
        fmt::print("{}  {}: {}\n", c.ok ? "ok  " : "FAIL", c.name, c.detail);
    }
    outcome.exit_code = all_ok ? kExitOk : kExitFailure;
  });
}

}  // namespace imeiflow::cli
