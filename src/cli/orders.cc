// `imeiflow orders [--imei LIST | --imei-file F] [--status S] [--service ID]
// [--job ID] [--since DATE] [--limit N] [--offset N] [--json]`: orders, newest
// first; with an IMEI list, the IMEIs that have no order are named too.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/read_input.h"
#include "cli/time_text.h"
#include "core/input.h"
#include "store/order_repository.h"

namespace imeiflow::cli {
namespace {

struct OrdersOptions {
  std::string imeis;
  std::string imei_file;
  std::string status;
  std::string service;
  int64_t job = 0;
  std::string since;
  int64_t limit = 100;
  int64_t offset = 0;
  bool json = false;
};

// The IMEIs to search for, read with the input parser (any separators).
Result<std::vector<std::string>> WantedImeis(const OrdersOptions& opt) {
  std::string text = opt.imeis;
  if (!opt.imei_file.empty()) {
    Result<std::string> bytes = ReadInput(opt.imei_file);
    if (!bytes.ok()) return bytes.status();
    text = std::move(*bytes);
  }
  if (text.empty()) return std::vector<std::string>();
  Result<CheckReport> report =
      ParseImeiInput(text, opt.imei_file.empty() ? "--imei" : opt.imei_file);
  if (!report.ok()) return report.status();
  if (!report->invalid.empty()) {
    const InvalidEntry& first = report->invalid.front();
    return Status::InvalidArgument(
        fmt::format("{} IMEI(s) of the list are not valid; line {}: \"{}\": {}",
                    report->invalid.size(), first.line, first.input, first.reason));
  }
  return report->imeis;
}

nlohmann::json OrderJson(const store::OrderRecord& o) {
  return {{"id", o.id},
          {"upstream_id", o.upstream_id.empty() ? nlohmann::json() : nlohmann::json(o.upstream_id)},
          {"imei", o.imei},
          {"service_id", o.service_id},
          {"status", o.status},
          {"price", o.price.ToDecimal()},
          {"job", o.job_id ? nlohmann::json(*o.job_id) : nlohmann::json()},
          {"placed_at", IsoUtc(o.placed_at)}};
}

int RunOrders(const GlobalOptions& global, const OrdersOptions& opt) {
  store::OrderFilter filter;
  Result<std::vector<std::string>> imeis = WantedImeis(opt);
  if (!imeis.ok()) return Fail("orders", imeis.status());
  filter.imeis = *imeis;
  if (!opt.status.empty()) filter.status = opt.status;
  if (!opt.service.empty()) filter.service_id = opt.service;
  if (opt.job > 0) filter.job_id = opt.job;
  if (!opt.since.empty()) {
    std::optional<int64_t> since = ParseIsoUtc(opt.since);
    if (!since) {
      fmt::print(stderr, "imeiflow orders: --since: \"{}\" is not a date (YYYY-MM-DD)\n",
                 opt.since);
      return kExitUsage;
    }
    filter.since_ms = since;
  }
  filter.limit = opt.limit;
  filter.offset = opt.offset;

  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("orders", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("orders", db.status());
  store::OrderRepository orders(**db);
  Result<std::vector<store::OrderRecord>> found = orders.Find(filter);
  if (!found.ok()) return Fail("orders", found.status());
  std::vector<std::string> not_found;
  if (!filter.imeis.empty()) {
    Result<std::vector<std::string>> missing = orders.Missing(filter.imeis);
    if (!missing.ok()) return Fail("orders", missing.status());
    not_found = std::move(*missing);
  }

  if (opt.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const store::OrderRecord& o : *found) list.push_back(OrderJson(o));
    nlohmann::json out = {{"orders", list}};
    if (!filter.imeis.empty()) out["not_found"] = not_found;
    fmt::print("{}\n", out.dump());
    return kExitOk;
  }
  for (const store::OrderRecord& o : *found) {
    fmt::print("{:>8}  {:<15}  {:<8}  {:<12}  {:>8}  {}  {}\n", o.id, o.imei, o.service_id,
               o.status, o.price.ToDisplay(), IsoUtc(o.placed_at),
               o.upstream_id.empty() ? "(order id not known yet)" : "order " + o.upstream_id);
  }
  if (!not_found.empty()) {
    fmt::print("{} IMEI(s) have no order: {}\n", not_found.size(), fmt::join(not_found, " "));
  }
  return kExitOk;
}

}  // namespace

void AddOrdersCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<OrdersOptions>();
  CLI::App* cmd = app.add_subcommand("orders", "Orders, newest first, with filters");
  CLI::Option* list = cmd->add_option("--imei", opt->imeis, "IMEIs, any separators");
  cmd->add_option("--imei-file", opt->imei_file, "a file of IMEIs (text, CSV, XLSX)")
      ->excludes(list);
  cmd->add_option("--status", opt->status, "pending, in_process, completed, rejected, unconfirmed");
  cmd->add_option("--service", opt->service, "service id");
  cmd->add_option("--job", opt->job, "job id");
  cmd->add_option("--since", opt->since, "placed on or after this date (YYYY-MM-DD)");
  cmd->add_option("--limit", opt->limit, "page size")->check(CLI::PositiveNumber);
  cmd->add_option("--offset", opt->offset, "orders to skip")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--json", opt->json, "print one JSON object");
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunOrders(global, *opt); });
}

}  // namespace imeiflow::cli
