#include "store/order_export.h"

#include <array>
#include <map>
#include <span>

#include "core/csv_writer.h"
#include "core/xlsx_writer.h"
#include "store/service_repository.h"
#include "store/supplier_export.h"

namespace imeiflow::store {
namespace {

constexpr size_t kChunkBytes = 1 << 20;  // CSV bytes gathered before each sink call

// Column widths of the XLSX sheet, in kSupplierExportColumns order.
constexpr std::array<double, kSupplierExportColumns.size()> kXlsxWidths = {36, 17, 9,  11, 60, 17,
                                                                           20, 12, 28, 8,  20};

// Service id -> title, for the SERVICE column.
class ServiceTitles {
 public:
  static Result<ServiceTitles> Load(Database& db) {
    Result<std::vector<CachedService>> services = ServiceRepository(db).List();
    if (!services.ok()) return services.status();
    ServiceTitles titles;
    for (const CachedService& s : *services) titles.titles_[s.id] = s.title;
    return titles;
  }
  // The title of `service_id`, or the id itself when the cache lacks it.
  std::string_view Of(const std::string& service_id) const {
    auto it = titles_.find(service_id);
    return it == titles_.end() ? std::string_view(service_id) : std::string_view(it->second);
  }

 private:
  std::map<std::string, std::string> titles_;
};

// The row of a listed IMEI without a matching order: its IMEI and "no order".
SupplierExportCells NotFoundCells(const std::string& imei) {
  SupplierExportCells cells;
  cells[1] = imei;  // IMEI NO.
  cells[3] = std::string(kNoOrderWord);  // STATUS
  return cells;
}

// Calls `visit` with the cells of every row of `filter`: its orders newest
// first or, for an IMEI list, in the list's order with a row per IMEI that
// has no matching order.
Status ForEachRow(Database& db, const OrderFilter& filter, const ServiceTitles& titles,
                  const std::function<Status(const SupplierExportCells&)>& visit) {
  OrderRepository orders(db);
  if (filter.imeis.empty()) {
    return orders.ForEach(filter, [&](const OrderRecord& o) {
      return visit(ExportCells(o, titles.Of(o.service_id)));
    });
  }
  return orders.ForEachListed(filter, [&](const ListedOrder& row) {
    if (!row.order) return visit(NotFoundCells(row.imei));
    return visit(ExportCells(*row.order, titles.Of(row.order->service_id)));
  });
}

}  // namespace

Result<int64_t> ExportOrdersCsv(Database& db, const OrderFilter& filter, const CsvSink& sink) {
  Result<ServiceTitles> titles = ServiceTitles::Load(db);
  if (!titles.ok()) return titles.status();
  std::string chunk;
  chunk.reserve(kChunkBytes + 64 * 1024);
  AppendCsvRecord(std::span<const std::string_view>(kSupplierExportColumns), &chunk);
  int64_t rows = 0;
  Status s = ForEachRow(db, filter, *titles, [&](const SupplierExportCells& cells) {
    AppendCsvRecord(std::span<const std::string>(cells), &chunk);
    ++rows;
    if (chunk.size() < kChunkBytes) return Status::Ok();
    Status sent = sink(chunk);
    chunk.clear();
    return sent;
  });
  if (!s.ok()) return s;
  if (Status sent = sink(chunk); !sent.ok()) return sent;
  return rows;
}

Result<int64_t> ExportOrdersXlsx(Database& db, const OrderFilter& filter, const std::string& path) {
  Result<ServiceTitles> titles = ServiceTitles::Load(db);
  if (!titles.ok()) return titles.status();
  std::array<XlsxColumn, kSupplierExportColumns.size()> columns;
  for (size_t i = 0; i < columns.size(); ++i) {
    columns[i] = XlsxColumn{kSupplierExportColumns[i], kXlsxWidths[i]};
  }
  Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path, "Orders", columns);
  if (!writer.ok()) return writer.status();
  Status s = ForEachRow(db, filter, *titles,
                        [&](const SupplierExportCells& cells) { return (*writer)->AddRow(cells); });
  if (!s.ok()) return s;
  int64_t rows = (*writer)->rows();
  if (Status finished = (*writer)->Finish(); !finished.ok()) return finished;
  return rows;
}

}  // namespace imeiflow::store
