#include "core/xlsx_writer.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <cmath>
#include <optional>

#include "core/utf8.h"

namespace imeiflow {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8
constexpr size_t kMaxCellChars = 32767;                    // Excel's limit per cell
constexpr double kUnixEpochSerialDay = 25569;              // 1970-01-01 as an Excel day
constexpr double kMsPerDay = 86400000;
constexpr const char* kMoneyFormat = "$#,##0.00";  // Money::ToDisplay's "$1,234.50"
constexpr const char* kTimeFormat = "yyyy-mm-dd hh:mm:ss";

// XML 1.0 allows no control characters but tab, LF and CR.
bool XmlForbidsControl(unsigned char c) { return c < 0x20 && c != '\t' && c != '\n' && c != '\r'; }

// `text` as XML can hold it, cut at Excel's cell limit, into `out`.
void XmlSafeCell(std::string_view text, std::string* out) {
  out->clear();
  size_t chars = 0;
  for (size_t i = 0; i < text.size() && chars < kMaxCellChars; ++chars) {
    std::optional<Utf8Char> decoded = DecodeUtf8(text, i);
    if (!decoded ||
        (decoded->length == 1 && XmlForbidsControl(static_cast<unsigned char>(text[i])))) {
      out->append(kReplacement);
      ++i;
      continue;
    }
    out->append(text.substr(i, decoded->length));
    i += decoded->length;
  }
}

Status XlsxError(std::string_view what, lxw_error error) {
  return Status::IoError(fmt::format("XLSX: {}: {}", what, lxw_strerror(error)));
}

}  // namespace

double ExcelSerialDay(int64_t ms) { return kUnixEpochSerialDay + static_cast<double>(ms) / kMsPerDay; }

int64_t UnixMsFromExcelSerialDay(double serial) {
  double seconds = std::round((serial - kUnixEpochSerialDay) * (kMsPerDay / 1000));
  return static_cast<int64_t>(seconds) * 1000;
}

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::Create(const std::string& path,
                                                       std::string_view sheet_name,
                                                       std::span<const XlsxColumn> columns) {
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  if (workbook == nullptr) return Status::IoError("XLSX: cannot create " + path);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, std::string(sheet_name).c_str());
  lxw_format* bold = workbook_add_format(workbook);
  lxw_format* money = workbook_add_format(workbook);
  lxw_format* time = workbook_add_format(workbook);
  if (sheet == nullptr || bold == nullptr || money == nullptr || time == nullptr) {
    workbook_close(workbook);
    return Status::Internal("XLSX: cannot add the worksheet to " + path);
  }
  format_set_bold(bold);
  format_set_num_format(money, kMoneyFormat);
  format_set_num_format(time, kTimeFormat);
  std::unique_ptr<XlsxWriter> writer(new XlsxWriter(workbook, sheet, columns.size()));
  writer->money_format_ = money;
  writer->time_format_ = time;
  for (size_t c = 0; c < columns.size(); ++c) {
    auto col = static_cast<lxw_col_t>(c);
    worksheet_set_column(sheet, col, col, columns[c].width, nullptr);
    std::string title(columns[c].title);
    if (lxw_error e = worksheet_write_string(sheet, 0, col, title.c_str(), bold);
        e != LXW_NO_ERROR) {
      return XlsxError("header", e);
    }
  }
  worksheet_freeze_panes(sheet, 1, 0);
  return writer;
}

XlsxWriter::~XlsxWriter() {
  if (workbook_ != nullptr) workbook_close(workbook_);
}

Status XlsxWriter::CheckRow(size_t cells) const {
  if (workbook_ == nullptr) return Status::Internal("XLSX: row added after Finish");
  if (cells != columns_) {
    return Status::Internal(fmt::format("XLSX: a row of {} cells for {} columns", cells, columns_));
  }
  if (rows_ >= kXlsxMaxDataRows) {
    return Status::TooLarge(
        fmt::format("XLSX: a sheet holds at most {} rows; export as CSV or narrow the filters",
                    kXlsxMaxDataRows));
  }
  return Status::Ok();
}

Status XlsxWriter::WriteText(size_t column, std::string_view text) {
  if (text.empty()) return Status::Ok();  // an empty cell is simply not written
  XmlSafeCell(text, &cell_);
  auto row = static_cast<lxw_row_t>(rows_ + 1);
  lxw_error e =
      worksheet_write_string(sheet_, row, static_cast<lxw_col_t>(column), cell_.c_str(), nullptr);
  return e == LXW_NO_ERROR ? Status::Ok() : XlsxError(fmt::format("row {}", rows_ + 2), e);
}

Status XlsxWriter::WriteCell(size_t column, const XlsxCell& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return WriteText(column, *text);
  double number = 0;
  lxw_format* format = nullptr;
  if (const auto* money = std::get_if<Money>(&value)) {
    number = static_cast<double>(money->cents()) / 100;
    format = money_format_;
  } else if (const auto* time = std::get_if<XlsxUtcTime>(&value)) {
    number = ExcelSerialDay(time->ms);
    format = time_format_;
  } else {
    return Status::Ok();  // empty
  }
  auto row = static_cast<lxw_row_t>(rows_ + 1);
  lxw_error e =
      worksheet_write_number(sheet_, row, static_cast<lxw_col_t>(column), number, format);
  return e == LXW_NO_ERROR ? Status::Ok() : XlsxError(fmt::format("row {}", rows_ + 2), e);
}

Status XlsxWriter::AddRow(std::span<const std::string> cells) {
  if (Status ok = CheckRow(cells.size()); !ok.ok()) return ok;
  for (size_t c = 0; c < cells.size(); ++c) {
    if (Status s = WriteText(c, cells[c]); !s.ok()) return s;
  }
  ++rows_;
  return Status::Ok();
}

Status XlsxWriter::AddRow(std::span<const XlsxCell> cells) {
  if (Status ok = CheckRow(cells.size()); !ok.ok()) return ok;
  for (size_t c = 0; c < cells.size(); ++c) {
    if (Status s = WriteCell(c, cells[c]); !s.ok()) return s;
  }
  ++rows_;
  return Status::Ok();
}

Status XlsxWriter::Finish() {
  if (workbook_ == nullptr) return Status::Internal("XLSX: Finish called twice");
  if (columns_ > 0) {
    worksheet_autofilter(sheet_, 0, 0, static_cast<lxw_row_t>(rows_),
                         static_cast<lxw_col_t>(columns_ - 1));
  }
  lxw_error e = workbook_close(workbook_);
  workbook_ = nullptr;
  if (e != LXW_NO_ERROR) return XlsxError("writing the file", e);
  return Status::Ok();
}

}  // namespace imeiflow
