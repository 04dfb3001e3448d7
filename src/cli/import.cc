// `imeiflow import FILE [--json]`: reads the supplier's export CSV (the layout
// of store/supplier_export.h), or what `imeiflow export` writes in any of its
// formats (CSV, CSV for Excel, XLSX), and upserts its orders by IMEI + service
// (store/order_import.h), resolving the items awaiting review (and the
// unconfirmed ones) whose orders the file proves. Rows that cannot be read
// are listed with their line numbers; the others are imported in one
// transaction. Exits 1 when any row had an error (the good rows are imported
// all the same), 0 otherwise.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/output.h"
#include "cli/read_input.h"
#include "core/clock.h"
#include "store/order_import.h"
#include "store/supplier_export.h"

namespace imeiflow::cli {
namespace {

struct ImportOptions {
  std::string file;
  bool json = false;
};

void PrintReport(const ImportOptions& opt, const store::ImportCounts& counts,
                 const std::vector<store::ImportError>& errors) {
  if (opt.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const store::ImportError& e : errors) {
      list.push_back({{"line", e.line}, {"message", e.message}});
    }
    nlohmann::json out = {{"file", opt.file},
                          {"inserted", counts.inserted},
                          {"updated", counts.updated},
                          {"unchanged", counts.unchanged},
                          {"resolved_uncertain", counts.resolved_uncertain},
                          {"resolved_unconfirmed", counts.resolved_unconfirmed},
                          {"errors", list}};
    fmt::print("{}\n", JsonText(out));
    return;
  }
  for (const store::ImportError& e : errors) {
    fmt::print("{}:{}: {}\n", Shown(opt.file), e.line, Shown(e.message));
  }
  fmt::print("{}: {} inserted, {} updated, {} unchanged, {} rows with errors\n", opt.file,
             counts.inserted, counts.updated, counts.unchanged, errors.size());
  fmt::print("{} items that needed review resolved: the supplier has them\n",
             counts.resolved_uncertain);
  fmt::print("{} unconfirmed items confirmed: the supplier lists their orders\n",
             counts.resolved_unconfirmed);
}

// The rows of the file at `path`; its bytes are freed before the import.
Result<store::SupplierExportFile> ReadRows(const std::string& path) {
  Result<std::string> bytes = ReadInput(path);
  if (!bytes.ok()) return bytes.status();
  Result<store::SupplierExportFile> file = store::ReadSupplierExport(*bytes);
  if (!file.ok()) return Status(file.status().code(), path + ": " + file.status().message());
  return file;
}

int RunImport(const GlobalOptions& global, const ImportOptions& opt) {
  Result<store::SupplierExportFile> file = ReadRows(opt.file);
  if (!file.ok()) return Fail("import", file.status());
  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("import", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("import", db.status());

  std::vector<store::ImportError> errors = std::move(file->errors);
  Result<store::ImportCounts> counts =
      store::OrderImporter(**db, config->upstream.refunds_rejected)
          .Import(file->rows, CommandActor(), opt.file, SystemClock().NowMs(), &errors);
  if (!counts.ok()) return Fail("import", counts.status());
  std::stable_sort(
      errors.begin(), errors.end(),
      [](const store::ImportError& a, const store::ImportError& b) { return a.line < b.line; });
  PrintReport(opt, *counts, errors);
  return errors.empty() ? kExitOk : kExitFailure;
}

}  // namespace

void AddImportCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<ImportOptions>();
  CLI::App* cmd =
      app.add_subcommand("import", "Import the supplier's export CSV: fill results in by IMEI");
  cmd->add_option("file", opt->file, "the CSV file (- for standard input)")->required();
  cmd->add_flag("--json", opt->json, "print one JSON object");
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunImport(global, *opt); });
}

}  // namespace imeiflow::cli
