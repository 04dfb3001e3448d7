#include "core/csv_reader.h"

namespace imeiflow {

bool CsvRecord::Blank() const {
  for (const std::string& f : fields) {
    if (!f.empty()) return false;
  }
  return true;
}

CsvReader::CsvReader(std::string_view data, char delimiter, int first_line)
    : data_(data), delimiter_(delimiter), line_(first_line) {}

bool CsvReader::Next(CsvRecord* record) {
  if (pos_ >= data_.size()) return false;
  size_t start = pos_;
  int start_line = line_;
  if (ReadRecord(record, false)) return true;
  // A quote never closed: re-read the line it opened on with quotes literal.
  pos_ = start;
  line_ = start_line;
  ReadRecord(record, true);
  record->unbalanced_quote = true;
  return true;
}

bool CsvReader::ReadRecord(CsvRecord* record, bool literal_quotes) {
  record->line = line_;
  record->unbalanced_quote = false;
  size_t used = 0;  // fields in use; the strings beyond keep their capacity
  const size_t start = pos_;
  size_t raw_end = data_.size();
  auto begin_field = [&]() -> std::string& {
    if (used == record->fields.size()) record->fields.emplace_back();
    if (used == record->field_lines.size()) record->field_lines.push_back(0);
    record->field_lines[used] = line_;
    std::string& f = record->fields[used++];
    f.clear();
    return f;
  };
  std::string* field = &begin_field();
  bool in_quotes = false;
  bool done = false;
  while (pos_ < data_.size() && !done) {
    char c = data_[pos_];
    if (in_quotes) {
      if (c == '"') {
        if (pos_ + 1 < data_.size() && data_[pos_ + 1] == '"') {
          field->push_back('"');
          pos_ += 2;
          continue;
        }
        in_quotes = false;
      } else {
        if (c == '\n') ++line_;
        field->push_back(c);
      }
      ++pos_;
      continue;
    }
    if (c == delimiter_ && used < kMaxCsvFields) {
      field = &begin_field();
    } else if (c == '\n' || c == '\r') {
      raw_end = pos_;
      if (c == '\r' && pos_ + 1 < data_.size() && data_[pos_ + 1] == '\n') ++pos_;
      ++line_;
      done = true;
    } else if (c == '"' && !literal_quotes && field->empty()) {
      in_quotes = true;
    } else {
      field->push_back(c);
    }
    ++pos_;
  }
  record->fields.resize(used);
  record->field_lines.resize(used);
  record->raw = data_.substr(start, raw_end - start);
  return !in_quotes;
}

}  // namespace imeiflow
