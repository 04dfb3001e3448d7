#include "core/input.h"

#include <optional>
#include <utility>

#include "core/csv_reader.h"
#include "core/entry_splitter.h"
#include "core/imei.h"
#include "core/xlsx_reader.h"

namespace imeiflow {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kZipMagic = "PK\x03\x04";
constexpr size_t kSampleRows = 50;
constexpr size_t kSampleColumns = 256;

using Table = std::vector<std::vector<std::string>>;

// Set of IMEIs (15 digits as an integer) mapping each to its index in
// CheckReport::imeis. Open addressing with linear probing keeps it to 16
// bytes per slot and one allocation.
class ImeiIndex {
 public:
  ImeiIndex() : slots_(1024) {}

  // The index stored for `key`, or stores `index` for it and returns nullopt.
  std::optional<uint32_t> FindOrInsert(uint64_t key, uint32_t index) {
    if ((used_ + 1) * 2 > slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = Hash(key) & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.key_plus_one == 0) {
        slot = {key + 1, index};
        ++used_;
        return std::nullopt;
      }
      if (slot.key_plus_one == key + 1) return slot.index;
    }
  }

 private:
  struct Slot {
    uint64_t key_plus_one = 0;  // 0 marks an empty slot
    uint32_t index = 0;
  };

  static size_t Hash(uint64_t key) { return (key * 0x9E3779B97F4A7C15ull) >> 20; }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.key_plus_one == 0) continue;
      size_t i = Hash(slot.key_plus_one - 1) & mask;
      while (slots_[i].key_plus_one != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;
  size_t used_ = 0;
};

uint64_t ImeiKey(std::string_view digits) {
  uint64_t key = 0;
  for (char c : digits) key = key * 10 + static_cast<uint64_t>(c - '0');
  return key;
}

std::string WithName(std::string_view name, const std::string& message) {
  return name.empty() ? message : std::string(name) + ": " + message;
}

// 1234567 -> "1,234,567".
std::string WithThousands(size_t n) {
  std::string digits = std::to_string(n);
  for (size_t i = digits.size(); i > 3; i -= 3) digits.insert(i - 3, ",");
  return digits;
}

std::string SplitAdvice(size_t max_imeis) {
  return "at most " + WithThousands(max_imeis) + " IMEIs per job; split the list";
}

// Collects judged entries into a CheckReport, up to the bounds of the options.
class ReportBuilder {
 public:
  ReportBuilder(InputFormat format, const InputOptions& options) : options_(options) {
    report_.format = format;
  }

  // Whether a bound was exceeded: later entries are ignored.
  bool Full() const { return !status_.ok(); }

  void Add(int line, std::string_view raw) {
    if (!Count()) return;
    NormalizedImei n = NormalizeImei(raw);
    if (n.verdict == ImeiVerdict::kInvalid) {
      RecordInvalid(line, raw, std::move(n.reason));
      return;
    }
    auto index = static_cast<uint32_t>(report_.imeis.size());
    if (std::optional<uint32_t> first = index_.FindOrInsert(ImeiKey(n.imei), index)) {
      report_.duplicates.push_back(
          {line, std::move(n.imei), report_.imei_lines[*first], std::string(raw)});
      return;
    }
    if (n.verdict == ImeiVerdict::kCompleted)
      report_.completed.push_back({line, n.imei, std::string(raw)});
    report_.imeis.push_back(std::move(n.imei));
    report_.imei_lines.push_back(line);
    if (report_.imeis.size() > options_.max_imeis) {
      status_ = Status::TooLarge("more than " + WithThousands(options_.max_imeis) +
                                 " IMEIs: " + SplitAdvice(options_.max_imeis));
    }
  }

  void AddInvalid(int line, std::string_view raw, std::string reason) {
    if (Count()) RecordInvalid(line, raw, std::move(reason));
  }

  EntrySink Sink() {
    return [this](int line, std::string_view raw) { Add(line, raw); };
  }

  // The report, or the bound exceeded (naming the input `name`).
  Result<CheckReport> Finish(std::string_view name) {
    if (!status_.ok()) return Status(status_.code(), WithName(name, status_.message()));
    return std::move(report_);
  }

 private:
  void RecordInvalid(int line, std::string_view raw, std::string reason) {
    std::string input;
    if (raw.size() <= options_.max_raw_bytes) {
      input = raw;
    } else {
      size_t cut = options_.max_raw_bytes;
      // Do not split a UTF-8 sequence: back up over continuation bytes.
      for (int i = 0; i < 3 && cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80;
           ++i) {
        --cut;
      }
      input = std::string(raw.substr(0, cut)) + "...";
    }
    report_.invalid.push_back({line, std::move(input), std::move(reason)});
  }

  // Counts one more entry: false (and the builder full) beyond max_entries.
  bool Count() {
    if (Full()) return false;
    if (++entries_ <= options_.max_entries) return true;
    status_ = Status::TooLarge("more than " + WithThousands(options_.max_entries) +
                               " entries: " + SplitAdvice(options_.max_imeis));
    return false;
  }

  const InputOptions& options_;
  CheckReport report_;
  ImeiIndex index_;
  size_t entries_ = 0;  // entries read, of any kind
  Status status_;       // the bound exceeded, if any
};

// How well a header cell names the IMEI column: 3 "IMEI", 2 "IMEI No."/"imei1",
// 1 "IMEI 2", 0 not at all. Case and punctuation are ignored.
int ImeiHeaderRank(std::string_view cell) {
  std::string name;
  for (char c : cell) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) name.push_back(c);
    if (name.size() > 32) return 0;
  }
  if (name.rfind("imei", 0) != 0) return 0;
  std::string_view rest = std::string_view(name).substr(4);
  if (rest.empty()) return 3;
  for (std::string_view s : {"1", "no", "nr", "num", "number", "no1", "nr1", "number1", "1no",
                             "1number", "s", "code", "list"}) {
    if (rest == s) return 2;
  }
  for (std::string_view s : {"2", "no2", "nr2", "number2", "2no", "2number"}) {
    if (rest == s) return 1;
  }
  return 0;
}

bool HasLetter(std::string_view s) {
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  }
  return false;
}

std::string_view CellOf(const std::vector<std::string>& row, size_t column) {
  return column < row.size() ? std::string_view(row[column]) : std::string_view();
}

// Which column of a table holds the IMEIs, and which row is its header.
struct ColumnChoice {
  int column = -1;             // -1: none found
  bool header = false;         // rows up to header_row are a header (and titles above it)
  size_t header_row = 0;       // index in the sample of the header row
  int header_rank = 0;         // how well the header names the column (0: not named)
  bool other_columns = false;  // some other column holds data that is not IMEIs
};

// A header naming the IMEI column may sit below a few title rows, as long as
// no row above it holds anything like an IMEI (so nothing is lost).
constexpr size_t kHeaderSearchRows = 5;

bool AnyCellLooksLikeImei(const std::vector<std::string>& row) {
  for (const std::string& cell : row) {
    if (LooksLikeImei(cell)) return true;
  }
  return false;
}

// Picks the IMEI column from the first rows of a table: the column a header
// row names best, else the first column whose values mostly look like IMEIs.
ColumnChoice ChooseColumn(const Table& sample) {
  ColumnChoice choice;
  if (sample.empty()) return choice;
  for (size_t r = 0; r < sample.size() && r < kHeaderSearchRows && choice.header_rank == 0; ++r) {
    for (size_t c = 0; c < sample[r].size(); ++c) {
      int rank = ImeiHeaderRank(sample[r][c]);
      if (rank > choice.header_rank) choice = {static_cast<int>(c), true, r, rank, false};
    }
    if (AnyCellLooksLikeImei(sample[r])) break;
  }
  const std::vector<std::string>& first = sample[0];
  size_t columns = 0;
  for (const auto& row : sample) columns = std::max(columns, row.size());
  for (size_t c = 0; c < columns; ++c) {
    // A first-row cell with letters that is no IMEI may be a column name:
    // it does not count against the column.
    std::string_view top = CellOf(first, c);
    bool top_is_name = sample.size() > 1 && !LooksLikeImei(top) && HasLetter(top);
    size_t filled = 0;
    size_t imeis = 0;
    for (size_t r = top_is_name ? 1 : 0; r < sample.size(); ++r) {
      std::string_view cell = CellOf(sample[r], c);
      if (cell.empty()) continue;
      ++filled;
      if (LooksLikeImei(cell)) ++imeis;
    }
    bool imei_column = filled > 0 && imeis * 2 >= filled;
    if (imei_column && choice.column < 0) {
      choice.column = static_cast<int>(c);
      choice.header = top_is_name;
      choice.header_row = 0;
    } else if (!imei_column && filled > 0 && static_cast<int>(c) != choice.column) {
      choice.other_columns = true;
    }
  }
  return choice;
}

// The layout of a CSV input.
struct CsvLayout {
  char delimiter = ',';
  ColumnChoice choice;
  size_t columns = 0;  // fields in the header (else the first) record
};

// Reads up to kSampleRows non-blank records; `consistent` tells whether they
// all have the same number of fields.
Table SampleCsv(std::string_view text, char delimiter, bool* consistent) {
  Table sample;
  CsvReader reader(text, delimiter);
  CsvRecord record;
  *consistent = true;
  for (size_t read = 0;
       sample.size() < kSampleRows && read < 4 * kSampleRows && reader.Next(&record); ++read) {
    if (record.Blank()) continue;
    if (!sample.empty() && record.fields.size() != sample[0].size()) *consistent = false;
    if (record.fields.size() > kSampleColumns) record.fields.resize(kSampleColumns);
    sample.push_back(record.fields);
  }
  return sample;
}

std::optional<CsvLayout> DetectCsv(std::string_view text) {
  std::optional<CsvLayout> named;
  std::optional<CsvLayout> unnamed;
  for (char delimiter : {',', ';', '\t'}) {
    bool consistent;
    Table sample = SampleCsv(text, delimiter, &consistent);
    if (sample.empty()) continue;
    ColumnChoice choice = ChooseColumn(sample);
    CsvLayout layout{delimiter, choice, sample[choice.header_row].size()};
    if (layout.choice.header_rank > 0) {
      if (!named || layout.choice.header_rank > named->choice.header_rank ||
          (layout.choice.header_rank == named->choice.header_rank &&
           layout.columns > named->columns)) {
        named = layout;
      }
    } else if (consistent && sample.size() >= 2 && layout.columns >= 2 &&
               layout.choice.column >= 0 && layout.choice.other_columns) {
      if (!unnamed || layout.columns > unnamed->columns) unnamed = layout;
    }
  }
  return named ? named : unnamed;
}

std::string_view StripBom(std::string_view bytes) {
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) bytes.remove_prefix(kUtf8Bom.size());
  return bytes;
}

void ParseCsv(std::string_view text, const CsvLayout& layout, ReportBuilder& builder) {
  CsvReader reader(text, layout.delimiter);
  CsvRecord record;
  // Non-blank records still to skip: the header and any title rows above it.
  size_t header_records = layout.choice.header ? layout.choice.header_row + 1 : 0;
  const auto column = static_cast<size_t>(layout.choice.column);
  // With a lone IMEI column there is nothing to ignore: every field counts,
  // so `IMEI` followed by lines of `a, b` loses nothing.
  const bool every_field = layout.columns == 1;
  EntrySink sink = builder.Sink();
  while (!builder.Full() && reader.Next(&record)) {
    if (record.Blank()) continue;
    if (header_records > 0) {
      --header_records;
      continue;
    }
    if (every_field) {
      for (size_t f = 0; f < record.fields.size(); ++f) {
        SplitEntries(record.fields[f], record.field_lines[f], SplitMode::kCell, true, sink);
      }
      continue;
    }
    if (column >= record.fields.size()) {
      builder.AddInvalid(record.line, record.raw,
                         "this row has " + std::to_string(record.fields.size()) +
                             (record.fields.size() == 1 ? " field" : " fields") +
                             "; the IMEI column is field " + std::to_string(column + 1));
      continue;
    }
    const std::string& cell = record.fields[column];
    if (record.unbalanced_quote && cell.find('"') != std::string::npos) {
      builder.AddInvalid(record.line, record.raw,
                         "unbalanced quote: a quoted field starts on this line and never ends");
      continue;
    }
    SplitEntries(cell, record.field_lines[column], SplitMode::kCell, true, sink);
  }
}

Status ParseXlsx(std::string_view bytes, std::string_view name, const InputOptions& options,
                 ReportBuilder& builder) {
  XlsxLimits limits;
  limits.max_entry_bytes = options.max_unzipped_entry_bytes;
  limits.max_total_bytes = options.max_unzipped_total_bytes;
  Result<XlsxSheet> sheet = XlsxSheet::Open(bytes, limits);
  if (!sheet.ok()) {
    return Status(sheet.status().code(), WithName(name, sheet.status().message()));
  }
  Table sample;
  int leftmost = -1;
  Status sampled = sheet->ForEachRow([&](const SheetRow& row) {
    std::vector<std::string> dense;
    for (const SheetCell& cell : row.cells) {
      if (leftmost < 0 || cell.column < leftmost) leftmost = cell.column;
      if (cell.column >= static_cast<int>(kSampleColumns)) continue;
      if (static_cast<size_t>(cell.column) >= dense.size()) dense.resize(cell.column + 1);
      dense[cell.column] = cell.text;
    }
    sample.push_back(std::move(dense));
    return sample.size() < kSampleRows;
  });
  if (!sampled.ok()) return Status(sampled.code(), WithName(name, sampled.message()));
  ColumnChoice choice = ChooseColumn(sample);
  // No column looks like IMEIs: read the leftmost one so its entries are
  // reported as invalid rather than silently ignored.
  int column = choice.column >= 0 ? choice.column : leftmost;
  // Rows up to the header (title rows and the header itself) are skipped.
  size_t header_rows = choice.column >= 0 && choice.header ? choice.header_row + 1 : 0;
  EntrySink sink = builder.Sink();
  Status read = sheet->ForEachRow([&](const SheetRow& row) {
    if (header_rows > 0) {
      --header_rows;
      return true;
    }
    const SheetCell* cell = row.Find(column);
    if (cell != nullptr && !cell->problem.empty()) {
      builder.AddInvalid(row.row, cell->text, cell->problem);
    } else if (cell != nullptr) {
      SplitEntries(cell->text, row.row, SplitMode::kCell, false, sink);
    }
    return !builder.Full();
  });
  if (!read.ok()) return Status(read.code(), WithName(name, read.message()));
  return Status::Ok();
}

}  // namespace

std::string_view InputFormatName(InputFormat format) {
  switch (format) {
    case InputFormat::kText:
      return "text";
    case InputFormat::kCsv:
      return "csv";
    case InputFormat::kXlsx:
      return "xlsx";
  }
  return "text";
}

InputFormat DetectInputFormat(std::string_view bytes) {
  if (bytes.substr(0, kZipMagic.size()) == kZipMagic) return InputFormat::kXlsx;
  return DetectCsv(StripBom(bytes)) ? InputFormat::kCsv : InputFormat::kText;
}

std::optional<char> DetectCsvDelimiter(std::string_view bytes) {
  if (bytes.substr(0, kZipMagic.size()) == kZipMagic) return std::nullopt;
  std::optional<CsvLayout> layout = DetectCsv(StripBom(bytes));
  if (!layout) return std::nullopt;
  return layout->delimiter;
}

std::string_view WithoutByteOrderMark(std::string_view bytes) { return StripBom(bytes); }

Status CheckJobSize(size_t imeis, size_t max_imeis) {
  if (imeis <= max_imeis) return Status::Ok();
  return Status::TooLarge(WithThousands(imeis) + " IMEIs: " + SplitAdvice(max_imeis));
}

Result<CheckReport> ParseImeiInput(std::string_view bytes, std::string_view filename_hint,
                                   const InputOptions& options) {
  if (bytes.substr(0, kZipMagic.size()) == kZipMagic) {
    ReportBuilder builder(InputFormat::kXlsx, options);
    if (Status s = ParseXlsx(bytes, filename_hint, options, builder); !s.ok()) return s;
    return builder.Finish(filename_hint);
  }
  std::string_view text = StripBom(bytes);
  if (std::optional<CsvLayout> layout = DetectCsv(text)) {
    ReportBuilder builder(InputFormat::kCsv, options);
    ParseCsv(text, *layout, builder);
    return builder.Finish(filename_hint);
  }
  ReportBuilder builder(InputFormat::kText, options);
  SplitEntries(text, 1, SplitMode::kText, true, builder.Sink());
  return builder.Finish(filename_hint);
}

}  // namespace imeiflow
