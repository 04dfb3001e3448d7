// `imeiflow export [--format csv|csv-excel|xlsx] [filters as for orders] [-o FILE]`:
// the orders matching the filters, newest first (an IMEI list: in its order,
// with a "no order" row per IMEI without one), in the supplier's "Advanced
// Export" layout (store/order_export.h): `csv` byte for byte as the supplier
// writes it, for tools; `csv-excel` for opening in Excel (IMEIs kept as
// text, UTC said in the header); `xlsx` a workbook with IMEIs as text,
// prices as currency numbers and dates as date cells. CSV goes to standard output unless
// -o names a file; XLSX needs -o. A file named by -o is written under a
// temporary name and renamed when complete: a failed export never leaves a
// half-written file behind.
//
// `--job ID --layout upload` writes instead the sheet that job was made
// from, its columns, rows and order kept, with the result columns appended
// (store/job_sheet.h), as CSV or XLSX as it was uploaded unless --format says
// which; a job made from pasted text has no sheet, which is a clear error.
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
#include "store/job_sheet.h"
#include "store/order_export.h"

namespace imeiflow::cli {
namespace {

struct ExportOptions {
  OrderFilterOptions filter;
  std::string format;           // "" until --format: csv, or as uploaded for --layout upload
  std::string layout = "orders";
  std::string output;
};

// Writes the CSV that `opt` asks for to `sink`.
Result<int64_t> ExportCsv(const ExportOptions& opt, store::Database& db,
                          const store::OrderFilter& filter, const store::CsvSink& sink) {
  if (opt.layout == "upload") return store::WriteJobSheetCsv(db, opt.filter.job, sink);
  store::CsvLayout layout =
      opt.format == "csv-excel" ? store::CsvLayout::kExcel : store::CsvLayout::kSupplier;
  return store::ExportOrdersCsv(db, filter, layout, sink);
}

// Writes CSV to `file`, named `name` in errors. On a terminal, supplier codes
// and titles are shown escaped (core/terminal_text.h), rows still one a line.
Result<int64_t> WriteCsv(const ExportOptions& opt, store::Database& db,
                         const store::OrderFilter& filter, std::FILE* file,
                         const std::string& name, bool terminal) {
  auto write_error = [&] {
    return Status::IoError(fmt::format("cannot write {}: {}", name, std::strerror(errno)));
  };
  Result<int64_t> rows = ExportCsv(opt, db, filter, [&](std::string_view bytes) {
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
  if (opt.format == "xlsx") {
    return opt.layout == "upload" ? store::WriteJobSheetXlsx(db, opt.filter.job, partial)
                                  : store::ExportOrdersXlsx(db, filter, partial);
  }
  std::FILE* file = std::fopen(partial.c_str(), "wb");
  if (file == nullptr) {
    return Status::IoError(fmt::format("cannot create {}: {}", opt.output, std::strerror(errno)));
  }
  Result<int64_t> rows = WriteCsv(opt, db, filter, file, opt.output, false);
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

// For --layout upload: the job's format unless --format chose one; a job
// without a sheet is an error.
Status ResolveUploadFormat(store::Database& db, ExportOptions& opt) {
  Result<std::optional<InputFormat>> uploaded = store::JobSheetFormat(db, opt.filter.job);
  if (!uploaded.ok()) return uploaded.status();
  if (!uploaded->has_value()) {
    return Status::NotFound(fmt::format(
        "job {} was not made from an uploaded CSV or XLSX file, so it has no sheet to fill in;"
        " export its orders without --layout upload",
        opt.filter.job));
  }
  if (opt.format.empty()) opt.format = **uploaded == InputFormat::kXlsx ? "xlsx" : "csv";
  return Status::Ok();
}

int RunExport(const GlobalOptions& global, ExportOptions opt) {
  if (opt.layout == "upload" && opt.filter.job <= 0) {
    fmt::print(stderr, "imeiflow export: --layout upload needs --job ID\n");
    return kExitUsage;
  }
  if (opt.layout != "upload" && opt.format.empty()) opt.format = "csv";
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
  if (opt.layout == "upload") {
    if (Status s = ResolveUploadFormat(**db, opt); !s.ok()) return Fail("export", s);
    if (opt.format == "xlsx" && opt.output.empty()) {
      fmt::print(stderr, "imeiflow export: job {} was uploaded as XLSX: name the file with -o FILE"
                         " (or pass --format csv)\n", opt.filter.job);
      return kExitUsage;
    }
  }

  if (opt.output.empty()) {
    Result<int64_t> rows =
        WriteCsv(opt, **db, *filter, stdout, "standard output", StdoutIsTerminal());
    return rows.ok() ? kExitOk : Fail("export", rows.status());
  }
  Result<int64_t> rows = WriteFile(opt, **db, *filter);
  if (!rows.ok()) return Fail("export", rows.status());
  fmt::print(stderr, "imeiflow export: {} {} written to {}\n", *rows,
             opt.layout == "upload" ? "rows" : "orders", opt.output);
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
                  "xlsx: a workbook (IMEIs text, prices numbers, dates date cells in UTC);\n"
                  "with --layout upload: csv or xlsx, as the job's file was uploaded by default")
      ->check(CLI::IsMember({"csv", "csv-excel", "xlsx"}));
  cmd->add_option("--layout", opt->layout,
                  "orders (default): the supplier's export layout;\n"
                  "upload: with --job ID, the sheet the job was made from, its own columns and"
                  " rows, with the results appended")
      ->check(CLI::IsMember({"orders", "upload"}));
  cmd->add_option("-o,--output", opt->output, "file to write (CSV: standard output without it)");
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunExport(global, *opt); });
}

}  // namespace imeiflow::cli
