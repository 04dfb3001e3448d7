// `imeiflow orders [--imei LIST | --imei-file F] [--status S] [--service ID]
// [--job ID] [--since DATE] [--until DATE] [--limit N] [--offset N] [--json]`:
// orders, newest first, as an aligned table (IMEI, status in the shop's
// words, service, created, price, and the result columns some row has); with
// an IMEI list in the list's order, an IMEI without a matching order a row of
// its own ("no order"). In JSON each order carries its raw `code` and its
// parsed `fields`, and the IMEIs without any order are listed as not_found.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/number_option.h"
#include "cli/order_filter_options.h"
#include "cli/output.h"
#include "cli/time_text.h"
#include "core/result_code.h"
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

// The parsed fields shown as columns when a row has one, with their headings
// (the code's own IMEI repeats the order's and is left out).
constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kFieldHeadings = {{
    {"model", "MODEL"},
    {"imei2", "IMEI 2"},
    {"serial", "SERIAL"},
    {"meid", "MEID"},
    {"carrier", "CARRIER"},
    {"simlock", "SIM-LOCK"},
    {"fmi", "FMI"},
    {"gsma_status", "BLACKLIST"},
    {"purchase_date", "PURCHASED"},
    {"applecare", "APPLECARE"},
}};

using Row = std::vector<std::string>;

// Characters on screen of UTF-8 `text` (continuation bytes take no room).
size_t Width(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Prints `rows` under `headings`, columns padded to their widest cell.
void PrintTable(const Row& headings, const std::vector<Row>& rows) {
  std::vector<size_t> widths(headings.size());
  for (size_t c = 0; c < headings.size(); ++c) widths[c] = Width(headings[c]);
  for (const Row& row : rows) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], Width(row[c]));
    }
  }
  auto print = [&](const Row& row) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line.append(widths[c] - Width(row[c]) + 2, ' ');
    }
    fmt::print("{}\n", line);
  };
  print(headings);
  for (const Row& row : rows) print(row);
}

void PrintOrders(const std::vector<store::ListedOrder>& listed) {
  Row headings = {"IMEI", "STATUS", "SERVICE", "CREATED (UTC)", "PRICE"};
  std::vector<std::string_view> fields;
  for (const auto& [name, heading] : kFieldHeadings) {
    bool any = std::any_of(listed.begin(), listed.end(), [&](const store::ListedOrder& r) {
      return r.order && !ResultFieldValue(r.order->fields, name).empty();
    });
    if (!any) continue;
    fields.push_back(name);
    headings.emplace_back(heading);
  }
  bool reasons = std::any_of(listed.begin(), listed.end(), [](const store::ListedOrder& r) {
    return r.order && !store::RejectionReason(*r.order).empty();
  });
  if (reasons) headings.emplace_back("REASON");
  std::vector<Row> rows;
  for (const store::ListedOrder& r : listed) {
    if (!r.order) {
      rows.push_back({Shown(r.imei), "no order"});
      continue;
    }
    const store::OrderRecord& o = *r.order;
    Row row = {Shown(o.imei), std::string(store::OrderStateText(o)), Shown(o.service_id),
               IsoUtc(o.placed_at), o.price.ToDisplay()};
    for (std::string_view name : fields) {
      row.push_back(Shown(ResultFieldValue(o.fields, name)));
    }
    if (reasons) row.push_back(Shown(store::RejectionReason(o)));
    rows.push_back(std::move(row));
  }
  PrintTable(headings, rows);
}

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
  if (!opt.json) {
    Result<std::vector<store::ListedOrder>> listed = orders.FindListed(*filter);
    if (!listed.ok()) return Fail("orders", listed.status());
    Result<int64_t> total = orders.Count(*filter);
    if (!total.ok()) return Fail("orders", total.status());
    PrintOrders(*listed);
    fmt::print("{} {} match", *total, *total == 1 ? "order" : "orders");
    if (*total > filter->limit || filter->offset > 0) {
      fmt::print(" (these from {}; --offset and --limit page)", filter->offset + 1);
    }
    fmt::print("\n");
    return kExitOk;
  }
  Result<std::vector<store::OrderRecord>> found = orders.Find(*filter);
  if (!found.ok()) return Fail("orders", found.status());
  std::vector<std::string> not_found;
  if (!filter->imeis.empty()) {
    Result<std::vector<std::string>> missing = orders.Missing(filter->imeis);
    if (!missing.ok()) return Fail("orders", missing.status());
    not_found = std::move(*missing);
  }
  nlohmann::json list = nlohmann::json::array();
  for (const store::OrderRecord& o : *found) list.push_back(store::OrderJson(o));
  nlohmann::json out = {{"orders", list}};
  if (!filter->imeis.empty()) out["not_found"] = not_found;
  fmt::print("{}\n", JsonText(out));
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
