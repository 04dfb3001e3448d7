// `imeiflow export [--format csv|xlsx] [filters as for orders] [-o FILE]`:
// the orders matching the filters, newest first, in the supplier's "Advanced
// Export" layout (store/supplier_export.h). CSV goes to standard output unless
// -o names a file; XLSX needs -o. Rows stream from SQLite straight to the
// output, so memory stays flat however many orders there are. A file named by
// -o is written under a temporary name and renamed when complete: a failed
// export never leaves a half-written file behind.
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/order_filter_options.h"
#include "core/csv_writer.h"
#include "core/xlsx_writer.h"
#include "store/order_repository.h"
#include "store/service_repository.h"
#include "store/supplier_export.h"

namespace imeiflow::cli {
namespace {

constexpr size_t kFlushBytes = 1 << 20;  // CSV bytes gathered before each write

struct ExportOptions {
  OrderFilterOptions filter;
  std::string format = "csv";
  std::string output;
};

std::string_view TitleOf(const std::map<std::string, std::string>& titles,
                         const std::string& service_id) {
  auto it = titles.find(service_id);
  return it == titles.end() ? std::string_view(service_id) : std::string_view(it->second);
}

// Writes CSV records to a stream in large chunks.
class CsvOutput {
 public:
  CsvOutput(std::FILE* file, std::string name) : file_(file), name_(std::move(name)) {
    buffer_.reserve(kFlushBytes + 64 * 1024);
  }
  // Appends one record; writes the buffer out once it is large.
  template <typename Cell>
  Status Add(std::span<const Cell> cells) {
    AppendCsvRecord(cells, &buffer_);
    return buffer_.size() >= kFlushBytes ? Flush() : Status::Ok();
  }
  // Writes out what is buffered.
  Status Flush() {
    if (!buffer_.empty() &&
        std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return Status::IoError(fmt::format("cannot write {}: {}", name_, std::strerror(errno)));
    }
    buffer_.clear();
    if (std::fflush(file_) != 0) {
      return Status::IoError(fmt::format("cannot write {}: {}", name_, std::strerror(errno)));
    }
    return Status::Ok();
  }

 private:
  std::FILE* file_;
  std::string name_;
  std::string buffer_;
};

Result<int64_t> WriteCsv(store::OrderRepository& orders, const store::OrderFilter& filter,
                         const std::map<std::string, std::string>& titles, std::FILE* file,
                         const std::string& name) {
  CsvOutput out(file, name);
  if (Status s = out.Add(std::span<const std::string_view>(store::kSupplierExportColumns));
      !s.ok()) {
    return s;
  }
  int64_t rows = 0;
  Status s = orders.ForEach(filter, [&](const store::OrderRecord& o) {
    ++rows;
    store::SupplierExportCells cells = store::ExportCells(o, TitleOf(titles, o.service_id));
    return out.Add(std::span<const std::string>(cells));
  });
  if (!s.ok()) return s;
  if (Status f = out.Flush(); !f.ok()) return f;
  return rows;
}

Result<int64_t> WriteXlsx(store::OrderRepository& orders, const store::OrderFilter& filter,
                          const std::map<std::string, std::string>& titles,
                          const std::string& path) {
  std::array<XlsxColumn, store::kSupplierExportColumns.size()> columns;
  for (size_t i = 0; i < columns.size(); ++i) {
    columns[i] = XlsxColumn{store::kSupplierExportColumns[i], store::kSupplierExportWidths[i]};
  }
  Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path, "Orders", columns);
  if (!writer.ok()) return writer.status();
  Status s = orders.ForEach(filter, [&](const store::OrderRecord& o) {
    return (*writer)->AddRow(store::ExportCells(o, TitleOf(titles, o.service_id)));
  });
  if (!s.ok()) return s;
  int64_t rows = (*writer)->rows();
  if (Status f = (*writer)->Finish(); !f.ok()) return f;
  return rows;
}

// Writes the export to `path` through a temporary file renamed at the end.
Result<int64_t> WriteFile(const ExportOptions& opt, store::OrderRepository& orders,
                          const store::OrderFilter& filter,
                          const std::map<std::string, std::string>& titles) {
  std::string partial = fmt::format("{}.partial-{}", opt.output, ::getpid());
  Result<int64_t> rows = Status::Internal("export: nothing written");
  if (opt.format == "xlsx") {
    rows = WriteXlsx(orders, filter, titles, partial);
  } else {
    std::FILE* file = std::fopen(partial.c_str(), "wb");
    if (file == nullptr) {
      return Status::IoError(fmt::format("cannot create {}: {}", opt.output, std::strerror(errno)));
    }
    rows = WriteCsv(orders, filter, titles, file, opt.output);
    if (std::fclose(file) != 0 && rows.ok()) {
      rows = Status::IoError(fmt::format("cannot write {}: {}", opt.output, std::strerror(errno)));
    }
  }
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
  Result<std::map<std::string, std::string>> titles = store::ServiceRepository(**db).Titles();
  if (!titles.ok()) return Fail("export", titles.status());
  store::OrderRepository orders(**db);

  if (opt.output.empty()) {
    Result<int64_t> rows = WriteCsv(orders, *filter, *titles, stdout, "standard output");
    return rows.ok() ? kExitOk : Fail("export", rows.status());
  }
  Result<int64_t> rows = WriteFile(opt, orders, *filter, *titles);
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
  cmd->add_option("--format", opt->format, "csv (default) or xlsx")
      ->check(CLI::IsMember({"csv", "xlsx"}));
  cmd->add_option("-o,--output", opt->output, "file to write (CSV: standard output without it)");
  cmd->callback([&global, &outcome, opt]() { outcome.exit_code = RunExport(global, *opt); });
}

}  // namespace imeiflow::cli
