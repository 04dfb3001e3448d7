#include "web/order_export.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <sstream>

#include "core/csv_writer.h"
#include "core/xlsx_writer.h"
#include "store/service_repository.h"
#include "store/supplier_export.h"

namespace imeiflow::web {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;  // CSV bytes gathered before each socket write

std::string Attachment(const std::string& filename) {
  return fmt::format("attachment; filename=\"{}\"", filename);
}

// Writes the CSV of `filter` to `sink` over a connection of its own (the
// handler's connection is back in the pool by the time the body is sent).
Status StreamCsv(WebContext& web, const store::OrderFilter& filter, httplib::DataSink& sink) {
  Result<ConnectionPool::Lease> db = web.connections.Acquire();
  if (!db.ok()) return db.status();
  Result<std::map<std::string, std::string>> titles = store::ServiceRepository(**db).Titles();
  if (!titles.ok()) return titles.status();
  std::string buffer;
  buffer.reserve(kChunkBytes * 2);
  AppendCsvRecord(std::span<const std::string_view>(store::kSupplierExportColumns), &buffer);
  auto flush = [&]() {
    if (!buffer.empty() && !sink.write(buffer.data(), buffer.size())) {
      return Status::IoError("export: the client went away");
    }
    buffer.clear();
    return Status::Ok();
  };
  Status s = store::OrderRepository(**db).ForEach(filter, [&](const store::OrderRecord& o) {
    store::SupplierExportCells cells = store::ExportCells(o, TitleOf(*titles, o.service_id));
    AppendCsvRecord(std::span<const std::string>(cells), &buffer);
    return buffer.size() >= kChunkBytes ? flush() : Status::Ok();
  });
  if (!s.ok()) return s;
  return flush();
}

// A new empty file in the temporary directory for a workbook.
Result<std::string> TemporaryXlsxPath() {
  std::string path = (std::filesystem::temp_directory_path() / "imeiflow-export-XXXXXX.xlsx");
  int fd = ::mkstemps(path.data(), 5);
  if (fd < 0) {
    return Status::IoError(fmt::format("cannot create a temporary file: {}", std::strerror(errno)));
  }
  ::close(fd);
  return path;
}

Result<std::string> WriteXlsx(store::Database& db, const store::OrderFilter& filter,
                              const std::string& path) {
  Result<std::map<std::string, std::string>> titles = store::ServiceRepository(db).Titles();
  if (!titles.ok()) return titles.status();
  std::array<XlsxColumn, store::kSupplierExportColumns.size()> columns;
  for (size_t i = 0; i < columns.size(); ++i) {
    columns[i] = XlsxColumn{store::kSupplierExportColumns[i], store::kSupplierExportWidths[i]};
  }
  Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path, "Orders", columns);
  if (!writer.ok()) return writer.status();
  Status s = store::OrderRepository(db).ForEach(filter, [&](const store::OrderRecord& o) {
    return (*writer)->AddRow(store::ExportCells(o, TitleOf(*titles, o.service_id)));
  });
  if (!s.ok()) return s;
  if (Status f = (*writer)->Finish(); !f.ok()) return f;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status::IoError("cannot read the workbook back from " + path);
  return bytes.str();
}

}  // namespace

std::string TitleOf(const std::map<std::string, std::string>& titles,
                    const std::string& service_id) {
  auto it = titles.find(service_id);
  return it == titles.end() ? service_id : it->second;
}

void SendOrdersCsv(WebContext& web, const store::OrderFilter& filter, const std::string& filename,
                   httplib::Response& response) {
  response.set_header("Content-Disposition", Attachment(filename));
  response.set_header("Cache-Control", "no-store");
  response.set_chunked_content_provider(
      "text/csv; charset=utf-8", [&web, filter](size_t, httplib::DataSink& sink) {
        Status s = StreamCsv(web, filter, sink);
        if (!s.ok()) {
          // The status line is sent already: cutting the body short is all that is left.
          spdlog::warn("orders export cut short: {}", s.message());
          return false;
        }
        sink.done();
        return true;
      });
}

Status SendOrdersXlsx(store::Database& db, const store::OrderFilter& filter,
                      const std::string& filename, httplib::Response& response) {
  Result<std::string> path = TemporaryXlsxPath();
  if (!path.ok()) return path.status();
  Result<std::string> bytes = WriteXlsx(db, filter, *path);
  std::error_code ignored;
  std::filesystem::remove(*path, ignored);
  if (!bytes.ok()) return bytes.status();
  response.set_header("Content-Disposition", Attachment(filename));
  response.set_header("Cache-Control", "no-store");
  response.set_content(std::move(*bytes),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  return Status::Ok();
}

}  // namespace imeiflow::web
