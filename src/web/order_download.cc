#include "web/order_download.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/order_export.h"

namespace imeiflow::web {
namespace {

std::string Attachment(const std::string& filename) {
  return fmt::format("attachment; filename=\"{}\"", filename);
}

// Writes the CSV of `filter` to `sink` over a connection of its own (the
// handler's connection is back in the pool by the time the body is sent).
Status StreamCsv(WebContext& web, const store::OrderFilter& filter, httplib::DataSink& sink) {
  Result<ConnectionPool::Lease> db = web.connections.Acquire();
  if (!db.ok()) return db.status();
  Result<int64_t> rows = store::ExportOrdersCsv(**db, filter, [&sink](std::string_view bytes) {
    return sink.write(bytes.data(), bytes.size()) ? Status::Ok()
                                                  : Status::IoError("the client went away");
  });
  return rows.ok() ? Status::Ok() : rows.status();
}

// A new empty file in the temporary directory for a workbook.
Result<std::string> TemporaryXlsxPath() {
  std::string path = std::filesystem::temp_directory_path() / "imeiflow-export-XXXXXX.xlsx";
  int fd = ::mkstemps(path.data(), 5);
  if (fd < 0) {
    return Status::IoError(fmt::format("cannot create a temporary file: {}", std::strerror(errno)));
  }
  ::close(fd);
  return path;
}

Result<std::string> WorkbookBytes(store::Database& db, const store::OrderFilter& filter,
                                  const std::string& path) {
  Result<int64_t> rows = store::ExportOrdersXlsx(db, filter, path);
  if (!rows.ok()) return rows.status();
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status::IoError("cannot read the workbook back from " + path);
  return bytes.str();
}

}  // namespace

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
  Result<std::string> bytes = WorkbookBytes(db, filter, *path);
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
