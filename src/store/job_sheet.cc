#include "store/job_sheet.h"

#include <fmt/format.h>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>

#include "core/csv_reader.h"
#include "core/csv_writer.h"
#include "core/formula_guard.h"
#include "core/xlsx_reader.h"
#include "core/xlsx_writer.h"
#include "store/supplier_export.h"

namespace imeiflow::store {
namespace {

constexpr size_t kMaxSheetRows = 2 * kMaxJobEntries + 1;  // entries of any kind, and a header
constexpr size_t kChunkBytes = 1 << 20;                   // CSV bytes gathered before each sink call
constexpr size_t kExcelNumberDigits = 12;  // from here on Excel shows digits as 3.52E+14

Status TooManyRows() {
  return Status::TooLarge(fmt::format("the sheet has more than {} rows, more than one job's input",
                                      kMaxSheetRows));
}

Result<UploadedSheet> ReadCsvSheet(std::string_view bytes, char delimiter) {
  UploadedSheet sheet;
  sheet.format = InputFormat::kCsv;
  CsvReader reader(WithoutByteOrderMark(bytes), delimiter);
  CsvRecord record;
  while (reader.Next(&record)) {
    if (record.Blank()) continue;
    if (sheet.rows.size() == kMaxSheetRows) return TooManyRows();
    sheet.rows.push_back(UploadedRow{record.line, record.fields});
  }
  return sheet;
}

Result<UploadedSheet> ReadXlsxSheet(std::string_view bytes) {
  Result<XlsxSheet> workbook = XlsxSheet::Open(bytes);
  if (!workbook.ok()) return workbook.status();
  UploadedSheet sheet;
  sheet.format = InputFormat::kXlsx;
  bool too_many = false;
  Status walked = workbook->ForEachRow([&](const SheetRow& row) {
    if (sheet.rows.size() == kMaxSheetRows) {
      too_many = true;
      return false;
    }
    UploadedRow kept{row.row, {}};
    kept.cells.resize(row.cells.empty() ? 0 : static_cast<size_t>(row.cells.back().column) + 1);
    for (const SheetCell& cell : row.cells) kept.cells[static_cast<size_t>(cell.column)] = cell.text;
    sheet.rows.push_back(std::move(kept));
    return true;
  });
  if (too_many) return TooManyRows();
  if (!walked.ok()) return walked;
  return sheet;
}

// The result of one item of a sheet row, read with the order it has (or,
// when skipped as already ordered, that IMEI's latest order).
struct ItemResult {
  int line = 0;
  std::string state;
  std::string reason;
  bool has_order = false;
  std::string order_status;
  std::string carrier, simlock, fmi, blacklist, code;
  int64_t price_cents = 0;
};

constexpr std::string_view kItemResultsSql = R"sql(
SELECT i.line, i.state, i.reason, o.id IS NOT NULL, o.status, o.carrier, o.simlock, o.fmi,
       o.gsma_status, o.code, o.price_cents
FROM items i JOIN jobs j ON j.id = i.job_id
LEFT JOIN orders o ON o.id = coalesce(i.order_id,
  CASE WHEN i.state = 'skipped_duplicate' THEN
    (SELECT id FROM orders WHERE imei = i.imei AND service_id = j.service_id
     ORDER BY placed_at DESC, id DESC LIMIT 1) END)
WHERE i.job_id = ?1 ORDER BY i.line, i.id
)sql";

ItemResult ReadItemResult(const Statement& s) {
  ItemResult r;
  r.line = static_cast<int>(s.ColumnInt(0));
  r.state = s.ColumnText(1);
  r.reason = s.ColumnText(2);
  r.has_order = s.ColumnInt(3) != 0;
  r.order_status = s.ColumnText(4);
  r.carrier = s.ColumnText(5);
  r.simlock = s.ColumnText(6);
  r.fmi = s.ColumnText(7);
  r.blacklist = s.ColumnText(8);
  r.code = s.ColumnText(9);
  r.price_cents = s.ColumnInt(10);
  return r;
}

// An item's state in the shop's words, when it has no order to speak for it.
std::string StateWords(const ItemResult& r) {
  static const std::map<std::string, std::string> kWords = {
      {"queued", "waiting to be sent"},
      {"in_flight", "being sent"},
      {"accepted", "ordered"},
      {"accepted_unconfirmed", "ordered"},
      {"duplicate", "already at the supplier"},
      {"rejected", "refused by the supplier"},
      {"uncertain", "needs review"},
      {"failed", "failed"},
      {"cancelled", "cancelled"}};
  if (r.state == "invalid") return "not an IMEI: " + r.reason;
  if (r.state == "skipped_duplicate") {
    return r.reason.empty() ? "already ordered" : "left out: " + r.reason;
  }
  auto it = kWords.find(r.state);
  return it == kWords.end() ? r.state : it->second;
}

std::string ResultWords(const ItemResult& r) {
  if (!r.has_order) return StateWords(r);
  std::string status(SupplierStatusWord(r.order_status));
  return r.state == "skipped_duplicate" ? "already ordered: " + status : status;
}

// The supplier's code, or why the item was not ordered when Result does not
// say it already.
std::string_view CodeOrReason(const ItemResult& r) {
  if (r.has_order) return r.code;
  if (r.state == "invalid" || r.state == "skipped_duplicate") return "";
  return r.reason;
}

// The result columns of a row from its items (several items of one row:
// each column's values joined with "; ", the prices added up).
struct RowResult {
  std::array<std::string, kSheetResultColumns.size() - 1> text;  // all but Price
  std::optional<Money> price;
};

void Join(std::string& into, std::string_view value) {
  if (value.empty()) return;
  if (!into.empty()) into += "; ";
  into += value;
}

RowResult ResultOf(std::span<const ItemResult> items, std::string_view note) {
  RowResult out;
  if (items.empty()) {
    out.text[0] = note.empty() ? "no IMEI in this row" : std::string(note);
    return out;
  }
  for (const ItemResult& r : items) {
    Join(out.text[0], ResultWords(r));
    Join(out.text[1], r.carrier);
    Join(out.text[2], r.simlock);
    Join(out.text[3], r.fmi);
    Join(out.text[4], r.blacklist);
    Join(out.text[5], CodeOrReason(r));
    if (r.has_order) out.price = out.price.value_or(Money()) + Money::FromCents(r.price_cents);
  }
  return out;
}

// Column letters as a spreadsheet names them: 0 -> A, 26 -> AA.
std::string ColumnName(size_t index) {
  std::string name;
  for (size_t n = index + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

// One row as the writers receive it: the uploaded cells (padded to the
// sheet's width) and the result, or the header's titles.
struct OutputRow {
  std::vector<std::string> cells;  // uploaded cells, then the result texts
  std::optional<Money> price;
  bool header = false;
};

// Walks a job's kept rows beside its items, calling `emit` for each output
// row, the header first.
class SheetWalk {
 public:
  static Result<SheetWalk> Open(Database& db, int64_t job_id) {
    Result<Statement> width = db.Prepare(
        "SELECT coalesce(max(json_array_length(cells_json)), 0), count(*) FROM job_sheet_rows"
        " WHERE job_id = ?1");
    if (!width.ok()) return width.status();
    width->Bind(1, job_id);
    Result<bool> row = width->Step();
    if (!row.ok()) return row.status();
    if (width->ColumnInt(1) == 0) {
      return Status::NotFound(fmt::format("job {} was not made from an uploaded file", job_id));
    }
    Result<Statement> rows = db.Prepare(
        "SELECT row_no, cells_json, note FROM job_sheet_rows WHERE job_id = ?1 ORDER BY row_no");
    if (!rows.ok()) return rows.status();
    rows->Bind(1, job_id);
    Result<Statement> items = db.Prepare(kItemResultsSql);
    if (!items.ok()) return items.status();
    items->Bind(1, job_id);
    return SheetWalk(static_cast<size_t>(width->ColumnInt(0)), std::move(*rows), std::move(*items));
  }

  size_t width() const { return width_; }

  Status Run(const std::function<Status(const OutputRow&)>& emit) {
    Status items = NextItem();
    if (!items.ok()) return items;
    bool first = true;
    for (;;) {
      Result<bool> more = rows_.Step();
      if (!more.ok()) return more.status();
      if (!*more) return Status::Ok();
      int row_no = static_cast<int>(rows_.ColumnInt(0));
      std::vector<ItemResult> mine;
      while (item_ && item_->line <= row_no) {
        if (item_->line == row_no) mine.push_back(std::move(*item_));
        if (Status s = NextItem(); !s.ok()) return s;
      }
      OutputRow out;
      out.cells = Cells(rows_.ColumnText(1));
      if (first) {
        first = false;
        out.header = true;
        bool own_header = mine.empty();
        if (!own_header) out.cells = SyntheticHeader();
        for (std::string_view title : kSheetResultColumns) out.cells.emplace_back(title);
        if (Status s = emit(out); !s.ok()) return s;
        if (own_header) continue;
        out.cells = Cells(rows_.ColumnText(1));
        out.header = false;
      }
      RowResult result = ResultOf(mine, rows_.ColumnText(2));
      for (std::string& text : result.text) out.cells.push_back(std::move(text));
      out.price = result.price;
      if (Status s = emit(out); !s.ok()) return s;
    }
  }

 private:
  SheetWalk(size_t width, Statement rows, Statement items)
      : width_(width), rows_(std::move(rows)), items_(std::move(items)) {}

  Status NextItem() {
    Result<bool> more = items_.Step();
    if (!more.ok()) return more.status();
    item_ = *more ? std::optional<ItemResult>(ReadItemResult(items_)) : std::nullopt;
    return Status::Ok();
  }

  std::vector<std::string> Cells(const std::string& json) const {
    nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
    std::vector<std::string> cells;
    if (parsed.is_array()) {
      for (const nlohmann::json& cell : parsed) {
        cells.push_back(cell.is_string() ? cell.get<std::string>() : std::string());
      }
    }
    cells.resize(width_);
    return cells;
  }

  std::vector<std::string> SyntheticHeader() const {
    std::vector<std::string> titles;
    for (size_t i = 0; i < width_; ++i) titles.push_back("Column " + ColumnName(i));
    return titles;
  }

  size_t width_;
  Statement rows_;
  Statement items_;
  std::optional<ItemResult> item_;
};

// A cell for the CSV: formulas neutralised, long digit runs kept as text.
std::string CsvCell(std::string_view cell) {
  std::string guarded = NeutraliseFormula(cell);
  return guarded.size() >= kExcelNumberDigits ? ExcelDigitsCell(guarded) : guarded;
}

}  // namespace

Result<std::optional<UploadedSheet>> ReadUploadedSheet(std::string_view bytes) {
  InputFormat format = DetectInputFormat(bytes);
  if (format == InputFormat::kText) return std::optional<UploadedSheet>();
  Result<UploadedSheet> sheet = format == InputFormat::kXlsx
                                    ? ReadXlsxSheet(bytes)
                                    : ReadCsvSheet(bytes, DetectCsvDelimiter(bytes).value_or(','));
  if (!sheet.ok()) return sheet.status();
  return std::optional<UploadedSheet>(std::move(*sheet));
}

Status SaveJobSheet(Database& db, int64_t job_id, const UploadedSheet& sheet,
                    const CheckReport& report) {
  std::map<int, std::string> notes;
  for (const DuplicateImei& d : report.duplicates) {
    notes.emplace(d.line, fmt::format("repeat of row {}", d.first_line));
  }
  Transaction tx(db);
  if (!tx.status().ok()) return tx.status();
  Result<Statement> head = db.Prepare("INSERT INTO job_sheets(job_id, format) VALUES (?1, ?2)");
  if (!head.ok()) return head.status();
  head->Bind(1, job_id).Bind(2, InputFormatName(sheet.format));
  if (Result<bool> done = head->Step(); !done.ok()) return done.status();
  Result<Statement> insert = db.Prepare(
      "INSERT INTO job_sheet_rows(job_id, row_no, cells_json, note) VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  for (const UploadedRow& row : sheet.rows) {
    auto note = notes.find(row.row);
    // Bytes that are not UTF-8 become U+FFFD: the JSON must be text.
    std::string cells = nlohmann::json(row.cells).dump(-1, ' ', false,
                                                       nlohmann::json::error_handler_t::replace);
    insert->Reset();
    insert->Bind(1, job_id).Bind(2, int64_t{row.row}).Bind(3, cells);
    insert->Bind(4, note == notes.end() ? std::string_view("") : std::string_view(note->second));
    if (Result<bool> done = insert->Step(); !done.ok()) return done.status();
  }
  return tx.Commit();
}

Result<std::optional<InputFormat>> JobSheetFormat(Database& db, int64_t job_id) {
  Result<Statement> s = db.Prepare("SELECT format FROM job_sheets WHERE job_id = ?1");
  if (!s.ok()) return s.status();
  s->Bind(1, job_id);
  Result<bool> row = s->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<InputFormat>();
  return std::optional<InputFormat>(s->ColumnText(0) == "xlsx" ? InputFormat::kXlsx
                                                                : InputFormat::kCsv);
}

Result<int64_t> WriteJobSheetCsv(Database& db, int64_t job_id, const CsvSink& sink) {
  Result<SheetWalk> walk = SheetWalk::Open(db, job_id);
  if (!walk.ok()) return walk.status();
  std::string chunk(kUtf8ByteOrderMark);
  std::vector<std::string> fields;
  int64_t rows = 0;
  Status s = walk->Run([&](const OutputRow& row) {
    fields.clear();
    for (const std::string& cell : row.cells) fields.push_back(CsvCell(cell));
    if (!row.header) fields.push_back(row.price ? row.price->ToDisplay() : std::string());
    AppendCsvRecord(std::span<const std::string>(fields), &chunk);
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

Result<int64_t> WriteJobSheetXlsx(Database& db, int64_t job_id, const std::string& path) {
  Result<SheetWalk> walk = SheetWalk::Open(db, job_id);
  if (!walk.ok()) return walk.status();
  // The header goes in as the first row: the writer's own header row is
  // titled only once the first kept row says whether it is one.
  std::vector<XlsxColumn> columns(walk->width() + kSheetResultColumns.size(), XlsxColumn{"", 14});
  std::unique_ptr<XlsxWriter> writer;
  std::vector<XlsxCell> cells;
  std::vector<std::string> titles;
  int64_t rows = 0;
  Status s = walk->Run([&](const OutputRow& row) -> Status {
    if (row.header) {
      titles = row.cells;
      for (size_t i = 0; i < columns.size(); ++i) columns[i].title = titles[i];
      Result<std::unique_ptr<XlsxWriter>> created = XlsxWriter::Create(path, "Sheet1", columns);
      if (!created.ok()) return created.status();
      writer = std::move(*created);
      ++rows;
      return Status::Ok();
    }
    cells.clear();
    for (const std::string& cell : row.cells) cells.emplace_back(NeutraliseFormula(cell));
    cells.push_back(row.price ? XlsxCell(*row.price) : XlsxCell());
    ++rows;
    return writer->AddRow(std::span<const XlsxCell>(cells));
  });
  if (!s.ok()) return s;
  if (Status finished = writer->Finish(); !finished.ok()) return finished;
  return rows;
}

}  // namespace imeiflow::store
