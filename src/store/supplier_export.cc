#include "store/supplier_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <span>
#include <system_error>

#include "core/csv_reader.h"
#include "core/csv_writer.h"
#include "core/formula_guard.h"
#include "core/imei.h"
#include "core/time_text.h"
#include "core/xlsx_reader.h"
#include "core/xlsx_writer.h"

namespace imeiflow::store {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kZipMagic = "PK\x03\x04";

// `text` for an error message: control characters shown as '?'.
std::string Printable(std::string_view text) {
  std::string shown(text);
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  }
  return shown;
}

// Stored statuses and the supplier's words for them; the status ids of
// getimeis (1 to 4) map to the same statuses.
struct StatusWord {
  std::string_view stored;
  std::string_view word;
  std::string_view id;
};
constexpr std::array<StatusWord, 5> kStatusWords = {{{"pending", "Pending", "1"},
                                                     {"completed", "Completed", "2"},
                                                     {"rejected", "Rejected", "3"},
                                                     {"in_process", "In Process", "4"},
                                                     {"unconfirmed", "Unconfirmed", ""}}};

// Lower case without spaces, underscores or dashes: "In Process" -> "inprocess".
std::string Folded(std::string_view text) {
  std::string folded;
  for (char c : text) {
    if (c == ' ' || c == '_' || c == '-' || c == '\t') continue;
    folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return folded;
}

// Reads 1 to `max_digits` digits at text[*pos], advancing *pos.
std::optional<int> Number(std::string_view text, size_t* pos, size_t max_digits) {
  size_t start = *pos;
  while (*pos < text.size() && *pos - start < max_digits &&
         std::isdigit(static_cast<unsigned char>(text[*pos]))) {
    ++*pos;
  }
  if (*pos == start) return std::nullopt;
  int value = 0;
  std::from_chars(text.data() + start, text.data() + *pos, value);
  return value;
}

bool Expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

constexpr size_t kImeiColumn = 1;
constexpr size_t kDateColumn = 10;
constexpr double kLastExcelDay = 2958465;  // 9999-12-31

// True for the supplier's header, or imeiflow's with "ORDER DATE (UTC)".
bool IsHeader(std::span<const std::string> fields) {
  if (fields.size() != kSupplierExportColumns.size()) return false;
  for (size_t i = 0; i < kSupplierExportColumns.size(); ++i) {
    if (fields[i] == kSupplierExportColumns[i]) continue;
    if (i == kDateColumn && fields[i] == kOrderDateUtcTitle) continue;
    return false;
  }
  return true;
}

// ORDER DATE as text ("2026-11-29 06:30:00") or, from an XLSX date cell, an
// Excel serial day number; Unix ms.
std::optional<int64_t> ParseOrderDate(std::string_view text) {
  if (std::optional<int64_t> ms = ParseExportDate(text)) return ms;
  double serial = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), serial);
  if (error != std::errc() || end != text.data() + text.size() || !(serial >= 1) ||
      serial > kLastExcelDay) {
    return std::nullopt;
  }
  return UnixMsFromExcelSerialDay(serial);
}

// The ImportRow of the record at `line` with `fields`, or the reason it
// cannot be read.
Result<ImportRow> ReadRow(int line, std::span<const std::string> fields) {
  if (fields.size() != kSupplierExportColumns.size()) {
    return Status::InvalidArgument(
        fmt::format("{} columns, expected {}", fields.size(), kSupplierExportColumns.size()));
  }
  std::array<std::string, kSupplierExportColumns.size()> cells;
  for (size_t i = 0; i < cells.size(); ++i) cells[i] = RestoreFormula(fields[i]);
  cells[kImeiColumn] = ReadExcelDigitsCell(cells[kImeiColumn]);  // the CSV for Excel
  ImportRow row;
  row.line = line;
  row.service = std::string(Trimmed(cells[0]));
  if (row.service.empty()) return Status::InvalidArgument("SERVICE is empty");

  NormalizedImei imei = NormalizeImei(Trimmed(cells[1]));
  if (imei.verdict != ImeiVerdict::kValid) {
    return Status::InvalidArgument(fmt::format("IMEI NO. \"{}\": {}", cells[1],
                                               imei.verdict == ImeiVerdict::kCompleted
                                                   ? "14 digits; the file must hold all 15"
                                                   : imei.reason));
  }
  row.imei = std::move(imei.imei);

  Result<Money> price = Money::Parse(cells[2]);
  if (!price.ok()) return Status::InvalidArgument("CREDITS: " + price.status().message());
  row.price = *price;

  std::optional<std::string> status = StoredStatusFromWord(cells[3]);
  if (!status) {
    return Status::InvalidArgument(fmt::format(
        "STATUS \"{}\" is not one of Pending, In Process, Completed, Rejected, Unconfirmed",
        cells[3]));
  }
  row.status = std::move(*status);
  row.code = std::move(cells[4]);

  std::optional<int64_t> placed = ParseOrderDate(Trimmed(cells[kDateColumn]));
  if (!placed) {
    return Status::InvalidArgument(
        fmt::format("ORDER DATE \"{}\" is not a date like 2026-11-29 06:30:00", cells[10]));
  }
  row.placed_at = *placed;
  return row;
}

// The fields of an XLSX row, one per column up to the last one (at least
// as many as the layout has), or why a cell cannot be read.
Result<std::vector<std::string>> RowFields(const SheetRow& row) {
  size_t width = kSupplierExportColumns.size();
  if (!row.cells.empty()) width = std::max(width, static_cast<size_t>(row.cells.back().column) + 1);
  std::vector<std::string> fields(width);
  for (const SheetCell& cell : row.cells) {
    if (!cell.problem.empty()) {
      return Status::InvalidArgument(fmt::format("column {}: {}", cell.column + 1, cell.problem));
    }
    fields[static_cast<size_t>(cell.column)] = cell.text;
  }
  return fields;
}

Status HeaderError(std::string_view found) {
  return Status::InvalidArgument(
      fmt::format("line 1: the header must be exactly \"{}\"; found \"{}\"",
                  fmt::join(kSupplierExportColumns, ","), Printable(found.substr(0, 200))));
}

// Reads the XLSX that `imeiflow export --format xlsx` writes; rows are
// numbered as the spreadsheet numbers them.
Result<SupplierExportFile> ReadWorkbook(std::string_view bytes) {
  Result<XlsxSheet> sheet = XlsxSheet::Open(bytes);
  if (!sheet.ok()) {
    return Status::InvalidArgument("this XLSX workbook cannot be read: " +
                                   sheet.status().message());
  }
  SupplierExportFile file;
  bool header = false;
  Status header_error = Status::Ok();
  Status walked = sheet->ForEachRow([&](const SheetRow& row) {
    Result<std::vector<std::string>> fields = RowFields(row);
    if (!header) {
      header = true;
      if (!fields.ok() || !IsHeader(*fields)) {
        std::string found = fields.ok() ? fmt::format("{}", fmt::join(*fields, ",")) : "";
        header_error = HeaderError(found);
        return false;
      }
      return true;
    }
    Result<ImportRow> read = fields.ok() ? ReadRow(row.row, *fields) : fields.status();
    if (read.ok()) {
      file.rows.push_back(std::move(*read));
    } else {
      file.errors.push_back(ImportError{row.row, read.status().message()});
    }
    return true;
  });
  if (!header_error.ok()) return header_error;
  if (!walked.ok()) return Status::InvalidArgument("this XLSX workbook: " + walked.message());
  if (!header) return HeaderError("");
  return file;
}

}  // namespace

SupplierExportCells ExportCells(const OrderRecord& order, std::string_view service_title) {
  SupplierExportCells cells = {std::string(service_title),
                               order.imei,
                               order.price.ToDisplay(),
                               std::string(SupplierStatusWord(OrderStatusName(order.status))),
                               order.code,
                               order.fields.imei2,
                               order.fields.carrier,
                               order.fields.simlock,
                               order.fields.model,
                               order.fields.fmi,
                               ExportDate(order.placed_at)};
  for (std::string& cell : cells) {
    if (NeedsFormulaGuard(cell)) cell = NeutraliseFormula(cell);
  }
  return cells;
}

std::string_view SupplierStatusWord(std::string_view stored_status) {
  for (const StatusWord& s : kStatusWords) {
    if (s.stored == stored_status) return s.word;
  }
  return stored_status;
}

std::optional<std::string> StoredStatusFromWord(std::string_view word) {
  std::string folded = Folded(word);
  for (const StatusWord& s : kStatusWords) {
    if (folded == Folded(s.word) || (!s.id.empty() && folded == s.id)) {
      return std::string(s.stored);
    }
  }
  return std::nullopt;
}

std::string ExportDate(int64_t ms) { return FormatUtc(ms, "%Y-%m-%d %H:%M:%S"); }

std::optional<int64_t> ParseExportDate(std::string_view text) {
  size_t pos = 0;
  std::optional<int> year = Number(text, &pos, 4);
  if (!year || pos != 4 || !Expect(text, &pos, '-')) return std::nullopt;
  std::optional<int> month = Number(text, &pos, 2);
  if (!month || !Expect(text, &pos, '-')) return std::nullopt;
  std::optional<int> day = Number(text, &pos, 2);
  if (!day || !Expect(text, &pos, ' ')) return std::nullopt;
  std::optional<int> hour = Number(text, &pos, 2);
  if (!hour || !Expect(text, &pos, ':')) return std::nullopt;
  std::optional<int> minute = Number(text, &pos, 2);
  if (!minute) return std::nullopt;
  std::optional<int> second = 0;
  if (pos < text.size()) {
    if (!Expect(text, &pos, ':') || !(second = Number(text, &pos, 2))) return std::nullopt;
  }
  if (pos != text.size() || *month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 ||
      *minute > 59 || *second > 59) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  std::time_t t = timegm(&tm);
  // timegm normalises 31 February to 3 March: such a date is not a date.
  std::tm check{};
  gmtime_r(&t, &check);
  if (check.tm_mday != *day || check.tm_mon != *month - 1) return std::nullopt;
  return static_cast<int64_t>(t) * 1000;
}

Result<SupplierExportFile> ReadSupplierExport(std::string_view bytes) {
  if (bytes.starts_with(kZipMagic)) return ReadWorkbook(bytes);
  if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  CsvReader reader(bytes, ',');
  CsvRecord record;
  if (!reader.Next(&record) || !IsHeader(record.fields)) return HeaderError(record.raw);
  SupplierExportFile file;
  while (reader.Next(&record)) {
    if (record.Blank() && !record.unbalanced_quote) continue;
    Result<ImportRow> row =
        record.unbalanced_quote
            ? Result<ImportRow>(Status::InvalidArgument("a quoted field never ends (unbalanced \")"))
            : ReadRow(record.line, record.fields);
    if (row.ok()) {
      file.rows.push_back(std::move(*row));
    } else {
      file.errors.push_back(ImportError{record.line, row.status().message()});
    }
  }
  return file;
}

}  // namespace imeiflow::store
