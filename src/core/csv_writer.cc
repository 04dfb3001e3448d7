#include "core/csv_writer.h"

namespace imeiflow {
namespace {

constexpr size_t kMaxExcelDigits = 20;

bool AllDigits(std::string_view text) {
  return !text.empty() && text.size() <= kMaxExcelDigits &&
         text.find_first_not_of("0123456789") == std::string_view::npos;
}

void AppendField(std::string_view field, std::string* out) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(field);
    return;
  }
  out->push_back('"');
  for (char c : field) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

template <typename Field>
void AppendRecord(std::span<const Field> fields, std::string* out) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendField(fields[i], out);
  }
  out->append("\r\n");
}

}  // namespace

void AppendCsvRecord(std::span<const std::string> fields, std::string* out) {
  AppendRecord(fields, out);
}

void AppendCsvRecord(std::span<const std::string_view> fields, std::string* out) {
  AppendRecord(fields, out);
}

std::string ExcelDigitsCell(std::string_view cell) {
  if (!AllDigits(cell)) return std::string(cell);
  std::string wrapped = "=\"";
  wrapped += cell;
  wrapped += '"';
  return wrapped;
}

std::string ReadExcelDigitsCell(std::string_view cell) {
  if (cell.size() > 3 && cell.starts_with("=\"") && cell.ends_with('"') &&
      AllDigits(cell.substr(2, cell.size() - 3))) {
    return std::string(cell.substr(2, cell.size() - 3));
  }
  return std::string(cell);
}

}  // namespace imeiflow
