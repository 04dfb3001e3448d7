// `imeiflow orders [--imei LIST | --imei-file F] [--status S] [--service ID]
// [--job ID] [--since DATE] [--until DATE] [--limit N] [--offset N] [--json]`:
// orders, newest first; with an IMEI list, the IMEIs that have no order are
// named too. In JSON each order carries its raw `code` and its parsed `fields`.
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/number_option.h"
#include "cli/order_filter_options.h"
#include "cli/output.h"
#include "cli/time_text.h"
#include "store/order_json.h"
#include "store/order_repository.h"

namespace imeiflow::cli {
namespace {

struct OrdersOptions {
  OrderFilterOptions filter;
  int64_t limit = 100;
  int64_t offset = 0;
  bool json = false;
};

int RunOrders(const GlobalOptions& global, const OrdersOptions& opt) {
  Result<store::OrderFilter> filter = BuildOrderFilter(opt.filter);
  if (!filter.ok()) return FilterFail("orders", filter.status());
  filter->limit = opt.limit;
  filter->offset = opt.offset;

  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("orders", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("orders", db.status());
  store::OrderRepository orders(**db);
  Result<std::vector<store::OrderRecord>> found = orders.Find(*filter);
  if (!found.ok()) return Fail("orders", found.status());
  std::vector<std::string> not_found;
  if (!filter->imeis.empty()) {
    Result<std::vector<std::string>> missing = orders.Missing(filter->imeis);
    if (!missing.ok()) return Fail("orders", missing.status());
    not_found = std::move(*missing);
  }

  if (opt.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const store::OrderRecord& o : *found) list.push_back(store::OrderJson(o));
    nlohmann::json out = {{"orders", list}};
    if (!filter->imeis.empty()) out["not_found"] = not_found;
    fmt::print("{}\n", JsonText(out));
    return kExitOk;
  }
  for (const store::OrderRecord& o : *found) {
    fmt::print(
        "{:>8}  {:<15}  {:<8}  {:<12}  {:>8}  {}  {}\n", o.id, Shown(o.imei), Shown(o.service_id),
        Shown(o.status), o.price.ToDisplay(), IsoUtc(o.placed_at),
        o.upstream_id.empty() ? "(order id not known yet)" : "order " + Shown(o.upstream_id));
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
  AddOrderFilterOptions(cmd, &opt->filter);
  cmd->add_option("--limit", opt->limit, "page size")->check(WholeNumber(1, INT64_MAX));
  cmd->add_option("--offset", opt->offset, "orders to skip")->check(WholeNumber(0, INT64_MAX));
  cmd->add_flag("--json", opt->json, "print one JSON object");
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunOrders(global, *opt); });
}

}  // namespace imeiflow::cli
