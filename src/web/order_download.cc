#include "web/order_download.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "store/job_sheet.h"
#include "store/order_export.h"

namespace imeiflow::web {
namespace {

// `text` for an error message: at most 40 bytes, control characters as '?'.
std::string Printable(std::string_view text) {
  std::string shown(text.substr(0, 40));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  }
  return shown;
}

std::string Attachment(const std::string& filename) {
  return fmt::format("attachment; filename=\"{}\"", filename);
}

constexpr size_t kChunkBytes = 1 << 20;

// A file removed when the last stream reading it is gone.
struct SpooledFile {
  std::string path;
  std::ifstream in;
  ~SpooledFile() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

// A new empty file in the temporary directory, named *`suffix` (".csv").
Result<std::string> TemporaryPath(const std::string& suffix) {
  std::string path = std::filesystem::temp_directory_path() / ("imeiflow-export-XXXXXX" + suffix);
  int fd = ::mkstemps(path.data(), static_cast<int>(suffix.size()));
  if (fd < 0) {
    return Status::IoError(fmt::format("cannot create a temporary file: {}", std::strerror(errno)));
  }
  ::close(fd);
  return path;
}

// Writes a CSV export to a sink; returns the rows written.
using CsvExport = std::function<Result<int64_t>(const store::CsvSink& sink)>;
// Writes an XLSX export at a path; returns the rows written.
using XlsxExport = std::function<Result<int64_t>(const std::string& path)>;

Result<std::string> WorkbookBytes(const XlsxExport& write, const std::string& path) {
  Result<int64_t> rows = write(path);
  if (!rows.ok()) return rows.status();
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status::IoError("cannot read the workbook back from " + path);
  return bytes.str();
}

// Spools `write`'s CSV to a temporary file and streams it as `filename`.
Status SpoolCsv(const CsvExport& write, const std::string& filename, HttpResponse& response) {
  Result<std::string> path = TemporaryPath(".csv");
  if (!path.ok()) return path.status();
  auto file = std::make_shared<SpooledFile>();
  file->path = *path;
  std::ofstream out(*path, std::ios::binary | std::ios::trunc);
  Result<int64_t> rows = write([&out](std::string_view bytes) {
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return out ? Status::Ok() : Status::IoError("cannot write the export's temporary file");
  });
  out.close();
  if (!rows.ok()) return rows.status();
  if (!out) return Status::IoError("cannot write the export's temporary file " + *path);
  file->in.open(*path, std::ios::binary);
  if (!file->in) return Status::IoError("cannot read the export back from " + *path);
  auto stream = std::make_shared<EventStream>();
  stream->interval = std::chrono::milliseconds(0);
  stream->max_duration = std::chrono::hours(24);
  stream->next = [file]() -> std::optional<std::string> {
    std::string chunk(kChunkBytes, '\0');
    file->in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    chunk.resize(static_cast<size_t>(file->in.gcount()));
    if (chunk.empty()) return std::nullopt;
    return chunk;
  };
  response.SetHeader("Content-Type", "text/csv; charset=utf-8");
  response.SetHeader("Content-Disposition", Attachment(filename));
  response.SetHeader("Cache-Control", "no-store");
  response.stream = std::move(stream);
  return Status::Ok();
}

// Writes `write`'s workbook to a temporary file and sends it as `filename`.
Status SendWorkbook(const XlsxExport& write, const std::string& filename,
                    HttpResponse& response) {
  Result<std::string> path = TemporaryPath(".xlsx");
  if (!path.ok()) return path.status();
  Result<std::string> bytes = WorkbookBytes(write, *path);
  std::error_code ignored;
  std::filesystem::remove(*path, ignored);
  if (!bytes.ok()) return bytes.status();
  response.SetHeader("Content-Disposition", Attachment(filename));
  response.SetHeader("Cache-Control", "no-store");
  response.SetContent(std::move(*bytes),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  return Status::Ok();
}

}  // namespace

Status SendOrdersCsv(store::Database& db, const store::OrderFilter& filter,
                     const std::string& filename, HttpResponse& response,
                     store::CsvLayout layout) {
  return SpoolCsv(
      [&](const store::CsvSink& sink) { return store::ExportOrdersCsv(db, filter, layout, sink); },
      filename, response);
}

Status SendOrdersXlsx(store::Database& db, const store::OrderFilter& filter,
                      const std::string& filename, HttpResponse& response) {
  return SendWorkbook(
      [&](const std::string& path) { return store::ExportOrdersXlsx(db, filter, path); },
      filename, response);
}

Status SendJobSheet(store::Database& db, int64_t job_id, std::string_view format,
                    HttpResponse& response) {
  Result<std::optional<InputFormat>> uploaded = store::JobSheetFormat(db, job_id);
  if (!uploaded.ok()) return uploaded.status();
  if (!uploaded->has_value()) {
    return Status::NotFound(fmt::format(
        "Job {} was not made from an uploaded CSV or XLSX file, so it has no sheet to fill in.",
        job_id));
  }
  if (!format.empty() && format != "csv" && format != "xlsx") {
    return Status::InvalidArgument(
        fmt::format("format \"{}\": the sheet comes as csv or xlsx", Printable(format)));
  }
  bool xlsx = format.empty() ? **uploaded == InputFormat::kXlsx : format == "xlsx";
  std::string name = fmt::format("job-{}-sheet-with-results.{}", job_id, xlsx ? "xlsx" : "csv");
  if (xlsx) {
    return SendWorkbook(
        [&](const std::string& path) { return store::WriteJobSheetXlsx(db, job_id, path); }, name,
        response);
  }
  return SpoolCsv(
      [&](const store::CsvSink& sink) { return store::WriteJobSheetCsv(db, job_id, sink); }, name,
      response);
}

}  // namespace imeiflow::web
