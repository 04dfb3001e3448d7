// A forgiving RFC 4180 CSV record reader that keeps line numbers.
//
// Fields are separated by one delimiter character (comma, semicolon or tab);
// records end at LF or CRLF outside quotes. A quoted field may hold
// delimiters, newlines and "" (one quote). Malformed input never stops the
// reader: text after a closing quote is kept, a quote inside an unquoted
// field is an ordinary character, and a quote that never closes is reported
// on its record (`unbalanced_quote`) whose line is then re-read with quotes
// taken literally, so the records after it are still read. A record keeps at
// most kMaxCsvFields fields: the rest of an absurdly wide record goes into
// its last field, so memory stays bounded by the input's size.
//
// A CsvReader reads from a view it does not own; one reader per thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imeiflow {

/// The most fields a CsvRecord holds.
inline constexpr size_t kMaxCsvFields = 1000;

/// One CSV record.
struct CsvRecord {
  int line = 0;                     ///< 1-based line where the record starts
  std::vector<std::string> fields;  ///< the unquoted field values
  std::vector<int> field_lines;     ///< the line where each field starts
  std::string_view raw;             ///< the record's text, without its line ending
  bool unbalanced_quote = false;    ///< a quote on this line never closes
  /// True when every field is empty (a blank line or only delimiters).
  bool Blank() const;
};

/// Reads CSV records one at a time.
class CsvReader {
 public:
  /// Reads `data` (which must outlive the reader) split at `delimiter`;
  /// `first_line` is the line number of data[0].
  CsvReader(std::string_view data, char delimiter, int first_line = 1);

  /// Fills `record` with the next record (reusing its storage); false at the end.
  bool Next(CsvRecord* record);

 private:
  // Reads one record from pos_; with `literal_quotes` quotes are ordinary
  // characters. Returns false when a quote opened and the data ended inside it.
  bool ReadRecord(CsvRecord* record, bool literal_quotes);

  std::string_view data_;
  char delimiter_;
  size_t pos_ = 0;
  int line_;
};

}  // namespace imeiflow
