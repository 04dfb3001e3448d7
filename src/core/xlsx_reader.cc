#include "core/xlsx_reader.h"

#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <pugixml.hpp>
#include <utility>

namespace imeiflow {
namespace {

constexpr int kMaxColumns = 16384;  // Excel's limit: XFD
constexpr int kMaxRow = 1 << 30;
constexpr size_t kMaxSheetRows = 1 << 20;   // Excel's limit: 1,048,576 rows
constexpr size_t kBatchBytes = 256 * 1024;  // rows' XML parsed as one document
// Far more than any workbook a shop uploads holds (a supplier export of
// 100,000 orders has about 1.1 million); beyond, the part is a bomb.
constexpr size_t kMaxSharedStrings = 4 << 20;
constexpr int kMaxDepth = 16;  // element nesting searched in workbook parts
// Text is stored in its element rather than in a child node: one node fewer
// per cell, which matters for sheets of a million rows.
constexpr unsigned kParseOptions = pugi::parse_default | pugi::parse_embed_pcdata;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The element name without a namespace prefix ("x:row" -> "row").
std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node FirstChild(const pugi::xml_node& parent, std::string_view local) {
  for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_element && LocalName(n) == local) return n;
  }
  return {};
}

// The first element named `local` in document order (depth-first), at most
// kMaxDepth levels down: the parts we read are shallow, and hostile XML can
// nest deeper than the stack allows.
pugi::xml_node FindDescendant(const pugi::xml_node& root, std::string_view local, int depth = 0) {
  if (depth >= kMaxDepth) return {};
  for (pugi::xml_node n = root.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element) continue;
    if (LocalName(n) == local) return n;
    if (pugi::xml_node found = FindDescendant(n, local, depth + 1)) return found;
  }
  return {};
}

// Concatenated text of every <t> below `node`, skipping phonetic runs (<rPh>).
void AppendText(const pugi::xml_node& node, std::string* out, int depth = 0) {
  if (depth >= kMaxDepth) return;
  for (pugi::xml_node n = node.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element) continue;
    std::string_view local = LocalName(n);
    if (local == "t") {
      *out += n.text().get();
    } else if (local != "rPh") {
      AppendText(n, out, depth + 1);
    }
  }
}

std::string DescribeBytes(uint64_t bytes) {
  if (bytes >= (1u << 20)) return std::to_string(bytes >> 20) + " MB";
  return std::to_string(bytes) + " bytes";
}

// The workbook and its relationships are small; parsed whole, they are bounded
// well below the sheet's bound.
constexpr uint64_t kMaxIndexPartBytes = 4ull << 20;
constexpr size_t kChunkBytes = 64 * 1024;

// The decompressed bytes allowed for one open or one walk of the sheet.
struct Budget {
  XlsxLimits limits;
  uint64_t used = 0;  // decompressed bytes counted so far
};

// One zip entry, decompressed a chunk at a time under the bounds.
class EntryStream {
 public:
  EntryStream(zip_file_t* file, std::string name, uint64_t max_bytes, Budget* budget)
      : file_(file), name_(std::move(name)), max_bytes_(max_bytes), budget_(budget) {}
  EntryStream(EntryStream&& other) noexcept
      : file_(std::exchange(other.file_, nullptr)),
        name_(std::move(other.name_)),
        max_bytes_(other.max_bytes_),
        budget_(other.budget_),
        read_(other.read_) {}
  EntryStream& operator=(EntryStream&&) = delete;
  ~EntryStream() {
    if (file_ != nullptr) zip_fclose(file_);
  }

  const std::string& name() const { return name_; }

  // Appends the next chunk to *buffer: false at the end of the entry.
  Result<bool> Append(std::string* buffer) {
    char chunk[kChunkBytes];
    zip_int64_t n = zip_fread(file_, chunk, sizeof chunk);
    if (n < 0) {
      return Status::Corrupt("cannot decompress " + name_ +
                             " in the workbook: " + zip_file_strerror(file_));
    }
    auto got = static_cast<uint64_t>(n);
    bool entry_over = read_ + got > max_bytes_;
    if (entry_over || budget_->used + got > budget_->limits.max_total_bytes) {
      uint64_t limit = entry_over ? max_bytes_ : budget_->limits.max_total_bytes;
      return Status::TooLarge(name_ + " in the workbook decompresses to more than " +
                              DescribeBytes(limit) + " (a zip bomb?)");
    }
    read_ += got;
    budget_->used += got;
    buffer->append(chunk, got);
    return n > 0;
  }

 private:
  zip_file_t* file_;
  std::string name_;
  uint64_t max_bytes_;
  Budget* budget_;
  uint64_t read_ = 0;
};

// An open zip archive over caller-owned bytes.
class ZipReader {
 public:
  static Result<ZipReader> Open(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
      std::string message = zip_error_strerror(&error);
      zip_error_fini(&error);
      return Status::Internal("cannot wrap the workbook for libzip: " + message);
    }
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive == nullptr) {
      std::string message = zip_error_strerror(&error);
      zip_error_fini(&error);
      zip_source_free(source);
      return Status::Corrupt("not a readable XLSX (zip) file: " + message);
    }
    zip_error_fini(&error);
    return ZipReader(archive);
  }

  ZipReader(ZipReader&& other) noexcept : archive_(std::exchange(other.archive_, nullptr)) {}
  ZipReader& operator=(ZipReader&&) = delete;
  ~ZipReader() {
    if (archive_ != nullptr) zip_discard(archive_);
  }

  bool Has(const std::string& name) const {
    return zip_name_locate(archive_, name.c_str(), 0) >= 0;
  }

  // Entry `name`, to be read chunk by chunk (at most `max_bytes` of it).
  Result<EntryStream> Stream(const std::string& name, uint64_t max_bytes, Budget* budget) const {
    zip_int64_t index = zip_name_locate(archive_, name.c_str(), 0);
    if (index < 0) return Status::NotFound("the workbook has no " + name);
    zip_file_t* file = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) {
      return Status::Corrupt("cannot open " + name + " in the workbook: " + zip_strerror(archive_));
    }
    return EntryStream(file, name, max_bytes, budget);
  }

  // The whole of a small entry (the workbook, its relationships).
  Result<std::string> ReadIndexPart(const std::string& name, Budget* budget) const {
    uint64_t max_bytes = std::min(kMaxIndexPartBytes, budget->limits.max_entry_bytes);
    Result<EntryStream> stream = Stream(name, max_bytes, budget);
    if (!stream.ok()) return stream.status();
    std::string content;
    for (;;) {
      Result<bool> more = stream->Append(&content);
      if (!more.ok()) return more.status();
      if (!*more) return content;
    }
  }

 private:
  explicit ZipReader(zip_t* archive) : archive_(archive) {}

  zip_t* archive_;
};

// Parses `content` in place into *doc; `options` may add pugi::parse_fragment
// for a run of elements.
Status ParseXml(std::string& content, const std::string& name, pugi::xml_document* doc,
                unsigned options = kParseOptions) {
  pugi::xml_parse_result parsed = doc->load_buffer_inplace(content.data(), content.size(), options);
  if (!parsed) {
    return Status::Corrupt(name + " in the workbook is not valid XML: " + parsed.description() +
                           " at byte " + std::to_string(parsed.offset));
  }
  return Status::Ok();
}

// Cuts the elements named `local` (<row>, <si>) out of a streamed part, one at
// a time, so that each is parsed alone: the part is never held whole, and
// only one element of it is held as a DOM. Comments, CDATA and processing
// instructions are stepped over; a DOCTYPE (never in a workbook, and the door
// to entity tricks) is refused.
class ElementScanner {
 public:
  ElementScanner(EntryStream stream, std::string local, uint64_t max_element_bytes)
      : stream_(std::move(stream)), local_(std::move(local)), max_element_(max_element_bytes) {}

  // The next element's XML in *xml: false at the end of the part.
  Result<bool> Next(std::string* xml) {
    for (;;) {
      size_t lt = buffer_.find('<', pos_);
      if (lt == std::string::npos) {
        pos_ = buffer_.size();
        Result<bool> more = Fill();
        if (!more.ok()) return more.status();
        if (*more) continue;
        if (start_ != std::string::npos) return Corrupt("it ends inside a <" + local_ + ">");
        return false;
      }
      pos_ = lt;
      Result<size_t> end = MarkupEnd(lt);
      if (!end.ok()) return end.status();
      if (*end == 0) {  // the tag goes on past the bytes read so far
        if (end_) return Corrupt("it ends inside a tag");
        if (Status s = CheckHeld(lt); !s.ok()) return s;
        Result<bool> more = Fill();
        if (!more.ok()) return more.status();
        continue;
      }
      pos_ = *end;
      if (std::optional<bool> done = Element(lt, *end, xml)) return *done;
      if (Status s = CheckHeld(lt); !s.ok()) return s;
    }
  }

 private:
  Status Corrupt(const std::string& what) const {
    return Status::Corrupt(stream_.name() + " in the workbook is not valid XML: " + what);
  }

  // Fails when the element being cut (or the markup at `lt`) outgrows the bound.
  Status CheckHeld(size_t lt) const {
    size_t from = start_ != std::string::npos ? start_ : lt;
    if (buffer_.size() - from <= max_element_) return Status::Ok();
    return Status::TooLarge(stream_.name() + " in the workbook holds a <" + local_ +
                            "> (or other markup) larger than " + DescribeBytes(max_element_));
  }

  // Drops what was scanned (keeping the element being cut) and reads more.
  Result<bool> Fill() {
    size_t keep = start_ != std::string::npos ? start_ : pos_;
    buffer_.erase(0, keep);
    pos_ -= keep;
    if (start_ != std::string::npos) start_ -= keep;
    if (end_) return false;
    Result<bool> more = stream_.Append(&buffer_);
    if (!more.ok()) return more.status();
    end_ = !*more;
    return *more;
  }

  // One past the end of the markup starting at buffer_[lt] == '<', or 0 when
  // more bytes are needed.
  Result<size_t> MarkupEnd(size_t lt) const {
    std::string_view rest = std::string_view(buffer_).substr(lt);
    if (rest.size() < 9 && !end_) return size_t{0};
    auto until = [&](std::string_view close, size_t from) -> size_t {
      size_t at = buffer_.find(close, lt + from);
      return at == std::string::npos ? 0 : at + close.size();
    };
    if (rest.substr(0, 4) == "<!--") return until("-->", 4);
    if (rest.substr(0, 9) == "<![CDATA[") return until("]]>", 9);
    if (rest.substr(0, 2) == "<?") return until("?>", 2);
    if (rest.substr(0, 2) == "<!") return Corrupt("it holds a DOCTYPE or declaration");
    char quote = 0;
    for (size_t i = 1; i < rest.size(); ++i) {
      char c = rest[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return lt + i + 1;
      }
    }
    return size_t{0};
  }

  // Handles the markup buffer_[lt, end): true with *xml set when it completes
  // an element, nullopt otherwise.
  std::optional<bool> Element(size_t lt, size_t end, std::string* xml) {
    std::string_view tag = std::string_view(buffer_).substr(lt, end - lt);
    if (tag[1] == '!' || tag[1] == '?') return std::nullopt;
    bool closing = tag[1] == '/';
    std::string_view name = tag.substr(closing ? 2 : 1);
    name = name.substr(0, name.find_first_of(" \t\r\n/>"));
    if (size_t colon = name.rfind(':'); colon != std::string_view::npos) {
      name.remove_prefix(colon + 1);
    }
    if (name != local_) return std::nullopt;
    if (closing) {
      if (start_ == std::string::npos || --depth_ > 0) return std::nullopt;
      xml->assign(buffer_, start_, end - start_);
      start_ = std::string::npos;
      return true;
    }
    bool self_closing = tag[tag.size() - 2] == '/';
    if (start_ == std::string::npos) {
      if (self_closing) {
        xml->assign(tag);
        return true;
      }
      start_ = lt;
      depth_ = 1;
    } else if (!self_closing) {
      ++depth_;
    }
    return std::nullopt;
  }

  EntryStream stream_;
  std::string local_;
  uint64_t max_element_;
  std::string buffer_;
  size_t pos_ = 0;                    // scanned up to here
  size_t start_ = std::string::npos;  // where the element being cut starts
  int depth_ = 0;                     // nesting of local_ inside it
  bool end_ = false;                  // the entry is read to its end
};

// Cuts the next elements, up to about kBatchBytes of them, into *batch
// (counting them in *cut): parsed together, they cost one document, not one
// each. False when none is left.
Result<bool> NextBatch(ElementScanner& scanner, size_t* cut, std::string* batch) {
  batch->clear();
  std::string xml;
  while (batch->size() < kBatchBytes) {
    Result<bool> next = scanner.Next(&xml);
    if (!next.ok()) return next.status();
    if (!*next) break;
    ++*cut;
    *batch += xml;
  }
  return !batch->empty();
}

// "worksheets/sheet1.xml" relative to xl/, or "/xl/worksheets/sheet1.xml".
std::string ResolveTarget(std::string_view target) {
  if (!target.empty() && target[0] == '/') return std::string(target.substr(1));
  while (target.substr(0, 2) == "./") target.remove_prefix(2);
  return "xl/" + std::string(target);
}

struct PartNames {
  std::string sheet = "xl/worksheets/sheet1.xml";
  std::string shared_strings = "xl/sharedStrings.xml";
};

// Finds the first sheet and the shared strings through the workbook and its
// relationships; keeps the conventional names where those say nothing.
Result<PartNames> LocateParts(const ZipReader& zip, Budget* budget) {
  PartNames parts;
  if (!zip.Has("xl/workbook.xml") || !zip.Has("xl/_rels/workbook.xml.rels")) return parts;
  Result<std::string> workbook = zip.ReadIndexPart("xl/workbook.xml", budget);
  if (!workbook.ok()) return workbook.status();
  pugi::xml_document workbook_doc;
  if (Status s = ParseXml(*workbook, "xl/workbook.xml", &workbook_doc); !s.ok()) return s;
  std::string rel_id;
  if (pugi::xml_node sheet = FindDescendant(FindDescendant(workbook_doc, "sheets"), "sheet")) {
    for (pugi::xml_attribute a = sheet.first_attribute(); a; a = a.next_attribute()) {
      std::string_view name = a.name();
      if (name.size() > 3 && name.substr(name.size() - 3) == ":id") rel_id = a.value();
    }
  }
  Result<std::string> rels = zip.ReadIndexPart("xl/_rels/workbook.xml.rels", budget);
  if (!rels.ok()) return rels.status();
  pugi::xml_document rels_doc;
  if (Status s = ParseXml(*rels, "xl/_rels/workbook.xml.rels", &rels_doc); !s.ok()) return s;
  pugi::xml_node root = FindDescendant(rels_doc, "Relationships");
  for (pugi::xml_node rel = root.first_child(); rel; rel = rel.next_sibling()) {
    if (LocalName(rel) != "Relationship") continue;
    std::string_view type = rel.attribute("Type").value();
    std::string target = ResolveTarget(rel.attribute("Target").value());
    if (!rel_id.empty() && rel_id == rel.attribute("Id").value() && zip.Has(target)) {
      parts.sheet = target;
    } else if (type.size() >= 14 && type.substr(type.size() - 14) == "/sharedStrings") {
      parts.shared_strings = target;
    }
  }
  return parts;
}

// The shared strings table, kept as one text and the end of each string in
// it: a few bytes per string rather than a std::string each.
class SharedStrings {
 public:
  bool present() const { return present_; }
  size_t size() const { return ends_.size(); }
  std::string_view At(size_t i) const {
    size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }

  // Reads part `name` (absent: no shared strings, and no cell may use one).
  Status Read(const ZipReader& zip, const std::string& name, Budget* budget) {
    if (!zip.Has(name)) return Status::Ok();
    present_ = true;
    Result<EntryStream> stream = zip.Stream(name, budget->limits.max_entry_bytes, budget);
    if (!stream.ok()) return stream.status();
    ElementScanner scanner(std::move(*stream), "si", budget->limits.max_element_bytes);
    std::string batch;
    pugi::xml_document doc;
    size_t cut = 0;
    for (;;) {
      Result<bool> more = NextBatch(scanner, &cut, &batch);
      if (!more.ok()) return more.status();
      if (!*more) return Status::Ok();
      Status parsed = ParseXml(batch, name, &doc, kParseOptions | pugi::parse_fragment);
      if (!parsed.ok()) return parsed;
      for (pugi::xml_node si = doc.first_child(); si; si = si.next_sibling()) {
        if (si.type() != pugi::node_element) continue;
        if (ends_.size() == kMaxSharedStrings || text_.size() > UINT32_MAX) {
          return Status::TooLarge(name + " in the workbook holds more than " +
                                  std::to_string(kMaxSharedStrings) + " strings");
        }
        AppendText(si, &text_);
        ends_.push_back(static_cast<uint32_t>(text_.size()));
      }
    }
  }

 private:
  bool present_ = false;
  std::string text_;            // every string, one after the other (under 4 GB)
  std::vector<uint32_t> ends_;  // where each string ends in text_
};

// "B12" -> column 1; -1 when the reference has no letters or too many.
int ColumnOf(std::string_view ref) {
  int column = 0;
  size_t i = 0;
  for (; i < ref.size(); ++i) {
    char c = ref[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + (c - 'A' + 1);
    if (column > kMaxColumns) return -1;
  }
  return i == 0 ? -1 : column - 1;
}

int ParseRowNumber(const char* text, int fallback) {
  long long row = 0;
  const char* p = text;
  for (; *p != 0; ++p) {
    if (!IsDigit(*p)) return fallback;
    row = row * 10 + (*p - '0');
    if (row > kMaxRow) return fallback;
  }
  return p == text || row == 0 ? fallback : static_cast<int>(row);
}

// The text of cell `c` into *cell; `strings` resolves shared strings.
void ReadCell(const pugi::xml_node& c, const SharedStrings& strings, SheetCell* cell) {
  std::string_view type = c.attribute("t").value();
  if (type == "inlineStr") {
    AppendText(FirstChild(c, "is"), &cell->text);
    return;
  }
  std::string_view value = FirstChild(c, "v").text().get();
  if (type.empty() || type == "n") {
    cell->text = ExactNumberText(value);
    return;
  }
  cell->text = value;
  if (type != "s") return;
  bool numeric = !value.empty() && value.size() < 10;
  for (char ch : value) numeric = numeric && IsDigit(ch);
  if (!numeric) {
    cell->problem =
        "the cell's shared string number \"" + std::string(value) + "\" is not a number";
    return;
  }
  size_t index = std::stoul(std::string(value));
  if (!strings.present()) {
    cell->problem = "the cell refers to shared string " + cell->text +
                    ", but the workbook has no shared strings";
  } else if (index >= strings.size()) {
    cell->problem = "the cell refers to shared string " + cell->text + ", but the workbook has " +
                    std::to_string(strings.size());
  } else {
    cell->text = strings.At(index);
  }
}

// The cells of the <row> element `r` into *row.
void ReadRow(const pugi::xml_node& r, const SharedStrings& strings, int* previous_row,
             SheetRow* row) {
  row->row = ParseRowNumber(r.attribute("r").value(), *previous_row + 1);
  *previous_row = row->row;
  row->cells.clear();
  int next_column = 0;
  for (pugi::xml_node c = r.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element || LocalName(c) != "c") continue;
    int column = ColumnOf(c.attribute("r").value());
    if (column < 0) column = next_column;
    next_column = column + 1;
    SheetCell cell;
    cell.column = column;
    ReadCell(c, strings, &cell);
    if (!cell.text.empty() || !cell.problem.empty()) row->cells.push_back(std::move(cell));
  }
}

}  // namespace

std::string_view SheetRow::Cell(int column) const {
  const SheetCell* cell = Find(column);
  return cell != nullptr ? std::string_view(cell->text) : std::string_view();
}

const SheetCell* SheetRow::Find(int column) const {
  for (const SheetCell& cell : cells) {
    if (cell.column == column) return &cell;
  }
  return nullptr;
}

std::string ExactNumberText(std::string_view number) {
  size_t i = 0;
  bool negative = false;
  if (i < number.size() && (number[i] == '+' || number[i] == '-')) negative = number[i++] == '-';
  std::string digits;  // the mantissa's digits without the point
  int point = -1;      // how many mantissa digits stand before the point
  for (; i < number.size(); ++i) {
    char c = number[i];
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c == '.' && point < 0) {
      point = static_cast<int>(digits.size());
    } else {
      break;
    }
  }
  if (digits.empty() || digits.size() > 400) return std::string(number);
  if (point < 0) point = static_cast<int>(digits.size());
  int exponent = 0;
  if (i < number.size()) {
    if (number[i] != 'e' && number[i] != 'E') return std::string(number);
    ++i;
    bool exponent_negative = false;
    if (i < number.size() && (number[i] == '+' || number[i] == '-')) {
      exponent_negative = number[i++] == '-';
    }
    if (i == number.size()) return std::string(number);
    for (; i < number.size(); ++i) {
      if (!IsDigit(number[i]) || exponent > 1000) return std::string(number);
      exponent = exponent * 10 + (number[i] - '0');
    }
    if (exponent_negative) exponent = -exponent;
  }
  // Integer digits = digits shifted so the point stands at point + exponent.
  int integer_length = point + exponent;
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return "0";
  size_t last = digits.find_last_not_of('0');
  int significant_end = static_cast<int>(last) + 1;                  // digits past this are zeros
  if (significant_end > integer_length) return std::string(number);  // a fraction
  if (significant_end - static_cast<int>(first) > 17 || integer_length > 40) {
    return std::string(number);
  }
  std::string result = negative ? "-" : "";
  result.append(digits, first, static_cast<size_t>(significant_end) - first);
  result.append(static_cast<size_t>(integer_length - significant_end), '0');
  return result;
}

struct XlsxSheet::Impl {
  ZipReader zip;
  XlsxLimits limits;
  PartNames parts;
  SharedStrings strings;
  uint64_t opened_bytes = 0;  // decompressed by Open, counted in every walk's budget
};

XlsxSheet::XlsxSheet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxSheet::XlsxSheet(XlsxSheet&&) noexcept = default;
XlsxSheet& XlsxSheet::operator=(XlsxSheet&&) noexcept = default;
XlsxSheet::~XlsxSheet() = default;

Result<XlsxSheet> XlsxSheet::Open(std::string_view bytes, const XlsxLimits& limits) {
  Result<ZipReader> zip = ZipReader::Open(bytes);
  if (!zip.ok()) return zip.status();
  Budget budget{limits, 0};
  Result<PartNames> parts = LocateParts(*zip, &budget);
  if (!parts.ok()) return parts.status();
  if (!zip->Has(parts->sheet)) {
    return Status::Corrupt("not an XLSX workbook: it has no worksheet (" + parts->sheet + ")");
  }
  auto impl = std::unique_ptr<Impl>(new Impl{std::move(*zip), limits, std::move(*parts), {}, 0});
  if (Status s = impl->strings.Read(impl->zip, impl->parts.shared_strings, &budget); !s.ok()) {
    return s;
  }
  impl->opened_bytes = budget.used;
  return XlsxSheet(std::move(impl));
}

Status XlsxSheet::ForEachRow(const std::function<bool(const SheetRow&)>& visit) const {
  Budget budget{impl_->limits, impl_->opened_bytes};
  const std::string& part = impl_->parts.sheet;
  Result<EntryStream> stream = impl_->zip.Stream(part, impl_->limits.max_entry_bytes, &budget);
  if (!stream.ok()) return stream.status();
  ElementScanner rows(std::move(*stream), "row", impl_->limits.max_element_bytes);
  std::string batch;
  pugi::xml_document doc;
  SheetRow row;
  int previous_row = 0;
  size_t rows_cut = 0;
  for (;;) {
    Result<bool> cut = NextBatch(rows, &rows_cut, &batch);
    if (!cut.ok()) return cut.status();
    if (!*cut) return Status::Ok();
    if (rows_cut > kMaxSheetRows) {
      return Status::TooLarge(part + " in the workbook has more than " +
                              std::to_string(kMaxSheetRows) + " rows (the most a sheet can have)");
    }
    Status parsed = ParseXml(batch, part, &doc, kParseOptions | pugi::parse_fragment);
    if (!parsed.ok()) return parsed;
    for (pugi::xml_node r = doc.first_child(); r; r = r.next_sibling()) {
      if (r.type() != pugi::node_element) continue;
      ReadRow(r, impl_->strings, &previous_row, &row);
      if (!row.cells.empty() && !visit(row)) return Status::Ok();
    }
  }
}

}  // namespace imeiflow
