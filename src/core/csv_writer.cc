#include "core/csv_writer.h"

namespace imeiflow {
namespace {

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

}  // namespace imeiflow
