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

constexpr size_t kImeiColumn = 1;
constexpr size_t kCreditsColumn = 2;
constexpr size_t kImei2Column = 5;
constexpr size_t kDateColumn = 10;

// The header of the Excel CSV and the XLSX: the date column says UTC.
constexpr std::array<std::string_view, kSupplierExportColumns.size()> DatedHeader() {
  std::array<std::string_view, kSupplierExportColumns.size()> header = kSupplierExportColumns;
  header[kDateColumn] = kOrderDateUtcTitle;
  return header;
}
constexpr auto kDatedHeader = DatedHeader();

// `cells` for Excel: the IMEI columns kept as text.
void ForExcel(SupplierExportCells& cells) {
  cells[kImeiColumn] = ExcelDigitsCell(cells[kImeiColumn]);
  cells[kImei2Column] = ExcelDigitsCell(cells[kImei2Column]);
}

// The XLSX row of `order`: text cells, but CREDITS money and the date a time.
std::array<XlsxCell, kSupplierExportColumns.size()> XlsxRow(const OrderRecord& order,
                                                            std::string_view service_title) {
  SupplierExportCells text = ExportCells(order, service_title);
  std::array<XlsxCell, kSupplierExportColumns.size()> row;
  for (size_t i = 0; i < row.size(); ++i) row[i] = std::move(text[i]);
  row[kCreditsColumn] = order.price;
  row[kDateColumn] = XlsxUtcTime{order.placed_at};
  return row;
}

// The row of a listed IMEI without a matching order: its IMEI and "no order".
SupplierExportCells NotFoundCells(const std::string& imei) {
  SupplierExportCells cells;
  cells[kImeiColumn] = imei;
  cells[3] = std::string(kNoOrderWord);  // STATUS
  return cells;
}

// Calls `visit` for every row of `filter`: its orders newest first (with
// `imei` empty) or, for an IMEI list, in the list's order with a row per
// IMEI that has no matching order (`order` null).
Status ForEachRow(Database& db, const OrderFilter& filter,
                  const std::function<Status(const std::string& imei, const OrderRecord* order)>&
                      visit) {
  OrderRepository orders(db);
  if (filter.imeis.empty()) {
    return orders.ForEach(filter, [&](const OrderRecord& o) { return visit("", &o); });
  }
  return orders.ForEachListed(filter, [&](const ListedOrder& row) {
    return visit(row.imei, row.order ? &*row.order : nullptr);
  });
}

}  // namespace

Result<int64_t> ExportOrdersCsv(Database& db, const OrderFilter& filter, CsvLayout layout,
                                const CsvSink& sink) {
  Result<ServiceTitles> titles = ServiceTitles::Load(db);
  if (!titles.ok()) return titles.status();
  bool excel = layout == CsvLayout::kExcel;
  std::string chunk;
  chunk.reserve(kChunkBytes + 64 * 1024);
  if (excel) chunk.append(kUtf8ByteOrderMark);
  AppendCsvRecord(std::span<const std::string_view>(excel ? kDatedHeader : kSupplierExportColumns),
                  &chunk);
  int64_t rows = 0;
  Status s = ForEachRow(db, filter, [&](const std::string& imei, const OrderRecord* o) {
    SupplierExportCells cells = o ? ExportCells(*o, titles->Of(o->service_id)) : NotFoundCells(imei);
    if (excel) ForExcel(cells);
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
    columns[i] = XlsxColumn{kDatedHeader[i], kXlsxWidths[i]};
  }
  Result<std::unique_ptr<XlsxWriter>> writer = XlsxWriter::Create(path, "Orders", columns);
  if (!writer.ok()) return writer.status();
  Status s = ForEachRow(db, filter, [&](const std::string& imei, const OrderRecord* o) {
    std::array<XlsxCell, kSupplierExportColumns.size()> row;
    if (o) {
      row = XlsxRow(*o, titles->Of(o->service_id));
    } else {
      SupplierExportCells text = NotFoundCells(imei);
      for (size_t i = 0; i < row.size(); ++i) row[i] = std::move(text[i]);
    }
    return (*writer)->AddRow(std::span<const XlsxCell>(row));
  });
  if (!s.ok()) return s;
  int64_t rows = (*writer)->rows();
  if (Status finished = (*writer)->Finish(); !finished.ok()) return finished;
  return rows;
}

}  // namespace imeiflow::store
