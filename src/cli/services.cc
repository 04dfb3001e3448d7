// `imeiflow services [--json]`: the supplier's IMEI services, as a table or JSON.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/output.h"
#include "core/clock.h"
#include "engine/service_cache.h"
#include "upstream/supplier_connection.h"

namespace imeiflow::cli {

namespace {

std::string PriceText(const upstream::Service& s) {
  return s.price ? s.price->ToDecimal() : s.price_text;
}

void PrintTable(const std::vector<upstream::Service>& services) {
  const char* headings[] = {"ID", "CATEGORY", "TITLE", "PRICE", "DELIVERY"};
  size_t width[5] = {2, 8, 5, 5, 8};
  std::vector<std::array<std::string, 5>> rows;
  for (const auto& s : services) {
    rows.push_back(
        {Shown(s.id), Shown(s.category), Shown(s.title), Shown(PriceText(s)), Shown(s.delivery)});
    for (size_t i = 0; i < 5; ++i) width[i] = std::max(width[i], rows.back()[i].size());
  }
  fmt::print("{:<{}}  {:<{}}  {:<{}}  {:>{}}  {}\n", headings[0], width[0], headings[1], width[1],
             headings[2], width[2], headings[3], width[3], headings[4]);
  for (const auto& r : rows) {
    fmt::print("{:<{}}  {:<{}}  {:<{}}  {:>{}}  {}\n", r[0], width[0], r[1], width[1], r[2],
               width[2], r[3], width[3], r[4]);
  }
}

void PrintJson(const std::vector<upstream::Service>& services) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& s : services) {
    list.push_back({{"id", s.id},
                    {"category", s.category},
                    {"title", s.title},
                    {"price", s.price ? nlohmann::ordered_json(s.price->ToDecimal())
                                      : nlohmann::ordered_json()},
                    {"delivery", s.delivery}});
  }
  fmt::print("{}\n", JsonText(nlohmann::ordered_json{{"services", list}}, 2));
}

struct ServicesOptions {
  bool json = false;     // print JSON instead of a table
  bool refresh = false;  // also replace the cached catalogue
};

int RunServices(const GlobalOptions& global, const ServicesOptions& opt) {
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("services", config.status());
  Result<std::unique_ptr<upstream::SupplierConnection>> supplier =
      upstream::SupplierConnection::Open(*config);
  if (!supplier.ok()) return Fail("services", supplier.status());
  upstream::ServicesResult result = (*supplier)->provider().ListServicesBlocking();
  if (result.verdict.call_class != upstream::CallClass::kApplied) {
    return Fail("services", Status::Unavailable(result.verdict.message));
  }
  for (const auto& w : result.verdict.warnings) fmt::print(stderr, "warning: {}\n", w);
  if (opt.refresh) {
    Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
    if (!db.ok()) return Fail("services", db.status());
    store::ServiceRepository cache(**db);
    std::vector<std::string> warnings;
    Result<size_t> stored =
        engine::StoreServices(result.services, cache, SystemClock().NowMs(), &warnings);
    if (!stored.ok()) return Fail("services", stored.status());
    for (const std::string& w : warnings) fmt::print(stderr, "warning: {}\n", w);
    fmt::print(stderr, "{} service(s) cached in {}\n", *stored, DatabasePath(global, *config));
  }
  if (opt.json) {
    PrintJson(result.services);
  } else {
    PrintTable(result.services);
  }
  return kExitOk;
}

}  // namespace

void AddServicesCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<ServicesOptions>();
  auto* cmd = app.add_subcommand("services", "List the supplier's IMEI services and prices");
  cmd->add_flag("--json", opt->json, "print JSON instead of a table");
  cmd->add_flag("--refresh", opt->refresh, "also update the cached catalogue submit prices from");
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunServices(global, *opt); });
}

}  // namespace imeiflow::cli
