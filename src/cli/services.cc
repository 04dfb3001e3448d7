// `imeiflow services [--json]`: the supplier's IMEI services, as a table or JSON.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "core/config.h"
#include "upstream/gsmfusion/client.h"
#include "upstream/http/curl_transport.h"

namespace imeiflow::cli {

namespace {

std::string PriceText(const upstream::Service& s) {
  return s.price ? s.price->ToDecimal() : s.price_text;
}

void PrintTable(const std::vector<upstream::Service>& services) {
  const char* headings[] = {"ID", "CATEGORY", "TITLE", "PRICE", "DELIVERY"};
  size_t width[5] = {2, 8, 5, 5, 8};
  for (const auto& s : services) {
    const std::string* cells[] = {&s.id, &s.category, &s.title, nullptr, &s.delivery};
    for (size_t i = 0; i < 5; ++i) {
      width[i] = std::max(width[i], i == 3 ? PriceText(s).size() : cells[i]->size());
    }
  }
  fmt::print("{:<{}}  {:<{}}  {:<{}}  {:>{}}  {}\n", headings[0], width[0], headings[1], width[1],
             headings[2], width[2], headings[3], width[3], headings[4]);
  for (const auto& s : services) {
    fmt::print("{:<{}}  {:<{}}  {:<{}}  {:>{}}  {}\n", s.id, width[0], s.category, width[1],
               s.title, width[2], PriceText(s), width[3], s.delivery);
  }
}

void PrintJson(const std::vector<upstream::Service>& services) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : services) {
    list.push_back({{"id", s.id},
                    {"category", s.category},
                    {"title", s.title},
                    {"price", s.price ? nlohmann::json(s.price->ToDecimal()) : nlohmann::json()},
                    {"delivery", s.delivery}});
  }
  fmt::print("{}\n", nlohmann::json{{"services", list}}.dump(2));
}

int RunServices(const GlobalOptions& global, bool json) {
  Result<Config> config = LoadConfig(global.config_path, ProcessEnv());
  if (!config.ok()) {
    fmt::print(stderr, "imeiflow services: {}\n", config.status().message());
    return kExitFailure;
  }
  if (Status s = SetUpLogging(config->log); !s.ok()) {
    fmt::print(stderr, "imeiflow services: {}\n", s.message());
    return kExitFailure;
  }
  if (config->upstream.url.empty()) {
    fmt::print(stderr, "imeiflow services: upstream.url is not set\n");
    return kExitFailure;
  }
  Result<std::string> key = config->ResolveApiKey();
  if (!key.ok()) {
    fmt::print(stderr, "imeiflow services: {}\n", key.status().message());
    return kExitFailure;
  }
  upstream::CurlTransportOptions options;
  options.ca_file = config->upstream.ca_file;
  upstream::CurlTransport transport(options);
  upstream::gsmfusion::Client client(
      upstream::gsmfusion::SettingsFromConfig(config->upstream, std::move(*key)), transport);
  upstream::ServicesResult result = client.ListServicesBlocking();
  if (result.verdict.call_class != upstream::CallClass::kApplied) {
    fmt::print(stderr, "imeiflow services: {}\n", result.verdict.message);
    return kExitFailure;
  }
  for (const auto& w : result.verdict.warnings) fmt::print(stderr, "warning: {}\n", w);
  if (json) {
    PrintJson(result.services);
  } else {
    PrintTable(result.services);
  }
  return kExitOk;
}

}  // namespace

void AddServicesCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto* cmd = app.add_subcommand("services", "List the supplier's IMEI services and prices");
  auto* json = new bool(false);  // lives as long as the process, like the app
  cmd->add_flag("--json", *json, "print JSON instead of a table");
  cmd->callback([&global, &outcome, json]() { outcome.exit_code = RunServices(global, *json); });
}

}  // namespace imeiflow::cli
