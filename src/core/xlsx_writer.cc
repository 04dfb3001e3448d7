#include "core/xlsx_writer.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <optional>

#include "core/utf8.h"

namespace imeiflow {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8
constexpr size_t kMaxCellChars = 32767;                    // Excel's limit per cell

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

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::Create(const std::string& path,
                                                       std::string_view sheet_name,
                                                       std::span<const XlsxColumn> columns) {
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  if (workbook == nullptr) return Status::IoError("XLSX: cannot create " + path);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, std::string(sheet_name).c_str());
  lxw_format* bold = workbook_add_format(workbook);
  if (sheet == nullptr || bold == nullptr) {
    workbook_close(workbook);
    return Status::Internal("XLSX: cannot add the worksheet to " + path);
  }
  format_set_bold(bold);
  std::unique_ptr<XlsxWriter> writer(new XlsxWriter(workbook, sheet, columns.size()));
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

Status XlsxWriter::AddRow(std::span<const std::string> cells) {
  if (workbook_ == nullptr) return Status::Internal("XLSX: row added after Finish");
  if (cells.size() != columns_) {
    return Status::Internal(
        fmt::format("XLSX: a row of {} cells for {} columns", cells.size(), columns_));
  }
  if (rows_ >= kXlsxMaxDataRows) {
    return Status::TooLarge(
        fmt::format("XLSX: a sheet holds at most {} rows; export as CSV or narrow the filters",
                    kXlsxMaxDataRows));
  }
  auto row = static_cast<lxw_row_t>(rows_ + 1);
  for (size_t c = 0; c < cells.size(); ++c) {
    if (cells[c].empty()) continue;  // an empty cell is simply not written
    XmlSafeCell(cells[c], &cell_);
    lxw_error e =
        worksheet_write_string(sheet_, row, static_cast<lxw_col_t>(c), cell_.c_str(), nullptr);
    if (e != LXW_NO_ERROR) return XlsxError(fmt::format("row {}", rows_ + 2), e);
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
