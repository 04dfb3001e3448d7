// `imeiflow reconcile FILE [--json]`: the supplier's export CSV (the layout of
// store/supplier_export.h) side by side with the orders here
// (store/reconciliation.h): charged there and ordered here, charged there and
// awaiting review here, charged there and unknown here, ordered here and
// missing there, each with its count and total, and the lines of the last
// three (the --json object lists every kind's lines). It changes nothing.
// Exits 0 when all agree, 3 when they differ, 1 when a row could not be read
// or compared (the others are compared all the same).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/output.h"
#include "cli/read_input.h"
#include "cli/time_text.h"
#include "store/reconciliation.h"
#include "store/supplier_export.h"

namespace imeiflow::cli {
namespace {

/// The exit status when the supplier's records and ours differ.
constexpr int kExitDiffer = 3;

struct ReconcileOptions {
  std::string file;
  bool json = false;
};

// One kind of line: its machine name, its heading and the column naming
// where each line comes from.
struct Kind {
  std::string_view name;
  std::string_view heading;
  store::ReconcileGroup store::Reconciliation::*group;
  std::string_view ref;  // "LINE", "ITEM" or "ORDER"
};

constexpr Kind kKinds[] = {
    {"known", "charged there, ordered here", &store::Reconciliation::known, "ORDER"},
    {"needs_review", "charged there, awaiting review here", &store::Reconciliation::needs_review,
     "ITEM"},
    {"unknown", "charged there, unknown here", &store::Reconciliation::unknown, "LINE"},
    {"missing", "ordered here, missing there", &store::Reconciliation::missing, "ORDER"},
};

// Where `line` comes from, in the column `ref`.
int64_t Ref(const store::ReconcileLine& line, std::string_view ref) {
  if (ref == "ITEM") return line.item_id.value_or(0);
  if (ref == "ORDER") return line.order_id.value_or(0);
  return line.line;
}

nlohmann::json LineJson(const store::ReconcileLine& l) {
  nlohmann::json out = {{"imei", l.imei},
                        {"service_id", l.service_id},
                        {"date", IsoUtc(l.placed_at)},
                        {"price", l.price.ToDecimal()}};
  if (l.line > 0) out["line"] = l.line;
  if (l.order_id) out["order_id"] = *l.order_id;
  if (l.item_id) out["item_id"] = *l.item_id;
  return out;
}

void PrintJson(const ReconcileOptions& opt, const store::Reconciliation& r,
               const std::vector<store::ImportError>& errors) {
  nlohmann::json out = {{"file", opt.file}, {"agree", r.Agree()}};
  out["from"] = r.until_ms > 0 ? nlohmann::json(IsoUtc(r.from_ms)) : nlohmann::json(nullptr);
  out["until"] = r.until_ms > 0 ? nlohmann::json(IsoUtc(r.until_ms)) : nlohmann::json(nullptr);
  for (const Kind& k : kKinds) {
    const store::ReconcileGroup& g = r.*k.group;
    nlohmann::json lines = nlohmann::json::array();
    for (const store::ReconcileLine& l : g.lines) lines.push_back(LineJson(l));
    out[std::string(k.name)] = {
        {"count", g.lines.size()}, {"total", g.total.ToDecimal()}, {"lines", lines}};
  }
  nlohmann::json list = nlohmann::json::array();
  for (const store::ImportError& e : errors) {
    list.push_back({{"line", e.line}, {"message", e.message}});
  }
  out["errors"] = list;
  fmt::print("{}\n", JsonText(out));
}

void PrintText(const ReconcileOptions& opt, const store::Reconciliation& r,
               const std::vector<store::ImportError>& errors) {
  for (const store::ImportError& e : errors) {
    fmt::print("{}:{}: {}\n", Shown(opt.file), e.line, Shown(e.message));
  }
  if (r.until_ms > 0) {
    fmt::print("{} against the orders here, {} to {} (UTC days):\n", opt.file,
               IsoUtc(r.from_ms).substr(0, 10), IsoUtc(r.until_ms - 1).substr(0, 10));
  } else {
    fmt::print("{} holds no order to compare\n", opt.file);
  }
  fmt::print("{:<36}  {:>8}  {:>12}\n", "", "COUNT", "TOTAL");
  for (const Kind& k : kKinds) {
    const store::ReconcileGroup& g = r.*k.group;
    fmt::print("{:<36}  {:>8}  {:>12}\n", k.heading, g.lines.size(), g.total.ToDisplay());
  }
  for (const Kind& k : kKinds) {
    const store::ReconcileGroup& g = r.*k.group;
    if (k.group == &store::Reconciliation::known || g.lines.empty()) continue;
    std::string heading(k.heading);
    heading[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(heading[0])));
    fmt::print("\n{}:\n", heading);
    constexpr std::string_view kRow = "{:<15}  {:<8}  {:<20}  {:>8}  {:>8}\n";
    fmt::print(kRow, "IMEI", "SERVICE", "DATE", "PRICE", k.ref);
    for (const store::ReconcileLine& l : g.lines) {
      fmt::print(kRow, Shown(l.imei), Shown(l.service_id), IsoUtc(l.placed_at), l.price.ToDisplay(),
                 Ref(l, k.ref));
    }
  }
  fmt::print("\n{}\n", r.Agree() ? "The supplier's records and ours agree."
                                 : "The supplier's records and ours differ.");
}

int RunReconcile(const GlobalOptions& global, const ReconcileOptions& opt) {
  Result<std::string> bytes = ReadInput(opt.file);
  if (!bytes.ok()) return Fail("reconcile", bytes.status());
  Result<store::SupplierExportFile> file = store::ReadSupplierExport(*bytes);
  if (!file.ok()) {
    return Fail("reconcile",
                Status(file.status().code(), opt.file + ": " + file.status().message()));
  }
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("reconcile", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("reconcile", db.status());
  std::vector<store::ImportError> errors = std::move(file->errors);
  Result<store::Reconciliation> r = store::Reconcile(**db, file->rows, &errors);
  if (!r.ok()) return Fail("reconcile", r.status());
  std::stable_sort(
      errors.begin(), errors.end(),
      [](const store::ImportError& a, const store::ImportError& b) { return a.line < b.line; });
  if (opt.json) {
    PrintJson(opt, *r, errors);
  } else {
    PrintText(opt, *r, errors);
  }
  if (!errors.empty()) return kExitFailure;
  return r->Agree() ? kExitOk : kExitDiffer;
}

}  // namespace

void AddReconcileCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<ReconcileOptions>();
  CLI::App* cmd = app.add_subcommand(
      "reconcile", "Compare the supplier's export CSV with the orders here (changes nothing)");
  cmd->add_option("file", opt->file, "the CSV file (- for standard input)")->required();
  cmd->add_flag("--json", opt->json, "print one JSON object");
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunReconcile(global, *opt); });
}

}  // namespace imeiflow::cli
