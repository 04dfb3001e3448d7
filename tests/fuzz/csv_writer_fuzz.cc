// Fuzz target: whatever the cells hold, writing them with the formula guard
// and AppendCsvRecord, then reading them back with CsvReader and undoing the
// guard, gives the same records and cells (the export/import round trip). No
// written cell starts with a formula trigger.
// The input is records separated by 0x1E, their cells by 0x1F.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_reader.h"
#include "core/csv_writer.h"
#include "core/formula_guard.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::vector<std::string>> records;
  for (const std::string& record : Split(input, '\x1E')) {
    records.push_back(Split(record, '\x1F'));
    if (records.back().size() > imeiflow::kMaxCsvFields) return 0;  // the reader's bound
  }
  std::string csv;
  for (const auto& cells : records) {
    std::vector<std::string> written;
    for (const std::string& cell : cells) {
      written.push_back(imeiflow::NeutraliseFormula(cell));
      Check(written.back().empty() ||
            std::string_view("=+-@\t\r").find(written.back()[0]) == std::string_view::npos);
    }
    imeiflow::AppendCsvRecord(written, &csv);
  }
  imeiflow::CsvReader reader(csv, ',');
  imeiflow::CsvRecord record;
  for (const auto& cells : records) {
    Check(reader.Next(&record) && !record.unbalanced_quote);
    Check(record.fields.size() == cells.size());
    for (size_t i = 0; i < cells.size(); ++i) {
      Check(imeiflow::RestoreFormula(record.fields[i]) == cells[i]);
    }
  }
  Check(!reader.Next(&record));
  return 0;
}
