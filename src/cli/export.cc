// `imeiflow export [--format csv|csv-excel|xlsx] [filters as for orders] [-o FILE]`:
// the orders matching the filters, newest first, in the supplier's "Advanced
// Export" layout (store/order_export.h): `csv` byte for byte as the supplier
// writes it, for tools; `csv-excel` for opening in Excel (IMEIs kept as
// text, UTC said in the header); `xlsx` a workbook with IMEIs as text,
// prices as currency numbers and dates as date cells. CSV goes to standard output unless
// -o names a file; XLSX needs -o. A file named by -o is written under a
// temporary name and renamed when complete: a failed export never leaves a
// half-written file behind.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/order_filter_options.h"
#include "cli/output.h"
#include "core/terminal_text.h"
#include "store/order_export.h"

namespace imeiflow::cli {
namespace {

struct ExportOptions {
  OrderFilterOptions filter;
  std::string format = "csv";
  std::string output;
};

// Writes CSV to `file`, named `name` in errors. On a terminal, supplier codes
// and titles are shown escaped (core/terminal_text.h), rows still one a line.
Result<int64_t> WriteCsv(store::Database& db, const store::OrderFilter& filter,
                         const std::string& format, std::FILE* file, const std::string& name,
                         bool terminal) {
  auto write_error = [&] {
    return Status::IoError(fmt::format("cannot write {}: {}", name, std::strerror(errno)));
  };
  store::CsvLayout layout =
      format == "csv-excel" ? store::CsvLayout::kExcel : store::CsvLayout::kSupplier;
  Result<int64_t> rows = store::ExportOrdersCsv(db, filter, layout, [&](std::string_view bytes) {
    std::string shown = terminal ? TerminalSafe(bytes, LineBreaks::kKeep) : std::string();
    if (terminal) bytes = shown;
    bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
    return written ? Status::Ok() : write_error();
  });
  if (rows.ok() && std::fflush(file) != 0) return write_error();
  return rows;
}

// Writes the export to `partial`, a file of its own.
Result<int64_t> WritePartial(const ExportOptions& opt, store::Database& db,
                             const store::OrderFilter& filter, const std::string& partial) {
  if (opt.format == "xlsx") return store::ExportOrdersXlsx(db, filter, partial);
  std::FILE* file = std::fopen(partial.c_str(), "wb");
  if (file == nullptr) {
    return Status::IoError(fmt::format("cannot create {}: {}", opt.output, std::strerror(errno)));
  }
  Result<int64_t> rows = WriteCsv(db, filter, opt.format, file, opt.output, false);
  if (std::fclose(file) != 0 && rows.ok()) {
    return Status::IoError(fmt::format("cannot write {}: {}", opt.output, std::strerror(errno)));
  }
  return rows;
}

// Writes the export to -o through a temporary file renamed at the end.
Result<int64_t> WriteFile(const ExportOptions& opt, store::Database& db,
                          const store::OrderFilter& filter) {
  std::string partial = fmt::format("{}.partial-{}", opt.output, ::getpid());
  Result<int64_t> rows = WritePartial(opt, db, filter, partial);
  std::error_code error;
  if (rows.ok()) {
    std::filesystem::rename(partial, opt.output, error);
    if (!error) return rows;
    rows = Status::IoError(
        fmt::format("cannot rename {} to {}: {}", partial, opt.output, error.message()));
  }
  std::filesystem::remove(partial, error);
  return rows;
}

int RunExport(const GlobalOptions& global, const ExportOptions& opt) {
  if (opt.format == "xlsx" && opt.output.empty()) {
    fmt::print(stderr, "imeiflow export: --format xlsx needs -o FILE\n");
    return kExitUsage;
  }
  Result<store::OrderFilter> filter = BuildOrderFilter(opt.filter);
  if (!filter.ok()) return FilterFail("export", filter.status());

  Result<Config> config = LoadCommandConfig(global);
  if (!config.ok()) return Fail("export", config.status());
  Result<std::unique_ptr<store::Database>> db = OpenDatabase(global, *config);
  if (!db.ok()) return Fail("export", db.status());

  if (opt.output.empty()) {
    Result<int64_t> rows = WriteCsv(**db, *filter, opt.format, stdout, "standard output",
                                 StdoutIsTerminal());
    return rows.ok() ? kExitOk : Fail("export", rows.status());
  }
  Result<int64_t> rows = WriteFile(opt, **db, *filter);
  if (!rows.ok()) return Fail("export", rows.status());
  fmt::print(stderr, "imeiflow export: {} orders written to {}\n", *rows, opt.output);
  return kExitOk;
}

}  // namespace

void AddExportCommand(CLI::App& app, const GlobalOptions& global, CommandOutcome& outcome) {
  auto opt = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export", "Orders in the supplier's export layout (CSV or XLSX), newest first");
  AddOrderFilterOptions(cmd, &opt->filter);
  cmd->add_option("--format", opt->format,
                  "csv (default): the supplier's layout byte for byte, for tools and import;\n"
                  "csv-excel: for Excel (IMEIs stay 15 digits, not 3.52E+14; dates in UTC);\n"
                  "xlsx: a workbook (IMEIs text, prices numbers, dates date cells in UTC)")
      ->check(CLI::IsMember({"csv", "csv-excel", "xlsx"}));
  cmd->add_option("-o,--output", opt->output, "file to write (CSV: standard output without it)");
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunExport(global, *opt); });
}

}  // namespace imeiflow::cli
