#include "core/xlsx_reader.h"

#include <zip.h>

#include <cstring>
#include <pugixml.hpp>
#include <utility>

namespace imeiflow {
namespace {

constexpr int kMaxColumns = 16384;  // Excel's limit: XFD
constexpr int kMaxRow = 1 << 30;
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

// An open zip archive over caller-owned bytes, with the decompression budget.
class ZipReader {
 public:
  static Result<ZipReader> Open(std::string_view bytes, const XlsxLimits& limits) {
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
    return ZipReader(archive, limits);
  }

  ZipReader(ZipReader&& other) noexcept
      : archive_(std::exchange(other.archive_, nullptr)),
        limits_(other.limits_),
        total_(other.total_) {}
  ZipReader& operator=(ZipReader&&) = delete;
  ~ZipReader() {
    if (archive_ != nullptr) zip_discard(archive_);
  }

  bool Has(const std::string& name) const {
    return zip_name_locate(archive_, name.c_str(), 0) >= 0;
  }

  // The decompressed content of entry `name`, read under the size bounds.
  Result<std::string> Read(const std::string& name) {
    zip_int64_t index = zip_name_locate(archive_, name.c_str(), 0);
    if (index < 0) return Status::NotFound("the workbook has no " + name);
    zip_file_t* file = zip_fopen_index(archive_, static_cast<zip_uint64_t>(index), 0);
    if (file == nullptr) {
      return Status::Corrupt("cannot open " + name + " in the workbook: " + zip_strerror(archive_));
    }
    std::string content;
    char chunk[64 * 1024];
    Status status;
    for (;;) {
      zip_int64_t n = zip_fread(file, chunk, sizeof chunk);
      if (n < 0) {
        status = Status::Corrupt("cannot decompress " + name +
                                 " in the workbook: " + zip_file_strerror(file));
        break;
      }
      if (n == 0) break;
      uint64_t got = static_cast<uint64_t>(n);
      if (content.size() + got > limits_.max_entry_bytes ||
          total_ + got > limits_.max_total_bytes) {
        status = Status::TooLarge(name + " in the workbook decompresses to more than " +
                                  DescribeBytes(content.size() + got > limits_.max_entry_bytes
                                                    ? limits_.max_entry_bytes
                                                    : limits_.max_total_bytes) +
                                  " (a zip bomb?)");
        break;
      }
      total_ += got;
      content.append(chunk, got);
    }
    zip_fclose(file);
    if (!status.ok()) return status;
    return content;
  }

 private:
  ZipReader(zip_t* archive, const XlsxLimits& limits) : archive_(archive), limits_(limits) {}

  zip_t* archive_;
  XlsxLimits limits_;
  uint64_t total_ = 0;
};

Status ParseXml(std::string& content, const std::string& name, pugi::xml_document* doc) {
  pugi::xml_parse_result parsed =
      doc->load_buffer_inplace(content.data(), content.size(), kParseOptions);
  if (!parsed) {
    return Status::Corrupt(name + " in the workbook is not valid XML: " + parsed.description() +
                           " at byte " + std::to_string(parsed.offset));
  }
  return Status::Ok();
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
Result<PartNames> LocateParts(ZipReader& zip) {
  PartNames parts;
  if (!zip.Has("xl/workbook.xml") || !zip.Has("xl/_rels/workbook.xml.rels")) return parts;
  Result<std::string> workbook = zip.Read("xl/workbook.xml");
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
  Result<std::string> rels = zip.Read("xl/_rels/workbook.xml.rels");
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

Result<std::vector<std::string>> ReadSharedStrings(ZipReader& zip, const std::string& name) {
  std::vector<std::string> strings;
  if (!zip.Has(name)) return strings;
  Result<std::string> content = zip.Read(name);
  if (!content.ok()) return content.status();
  pugi::xml_document doc;
  if (Status s = ParseXml(*content, name, &doc); !s.ok()) return s;
  pugi::xml_node sst = FindDescendant(doc, "sst");
  for (pugi::xml_node si = sst.first_child(); si; si = si.next_sibling()) {
    if (si.type() != pugi::node_element || LocalName(si) != "si") continue;
    strings.emplace_back();
    AppendText(si, &strings.back());
  }
  return strings;
}

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

}  // namespace

std::string_view SheetRow::Cell(int column) const {
  for (const SheetCell& cell : cells) {
    if (cell.column == column) return cell.text;
  }
  return {};
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
  std::string sheet_xml;  // parsed in place: the document points into it
  pugi::xml_document sheet;
  std::vector<std::string> shared_strings;
};

XlsxSheet::XlsxSheet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxSheet::XlsxSheet(XlsxSheet&&) noexcept = default;
XlsxSheet& XlsxSheet::operator=(XlsxSheet&&) noexcept = default;
XlsxSheet::~XlsxSheet() = default;

Result<XlsxSheet> XlsxSheet::Open(std::string_view bytes, const XlsxLimits& limits) {
  Result<ZipReader> zip = ZipReader::Open(bytes, limits);
  if (!zip.ok()) return zip.status();
  Result<PartNames> parts = LocateParts(*zip);
  if (!parts.ok()) return parts.status();
  if (!zip->Has(parts->sheet)) {
    return Status::Corrupt("not an XLSX workbook: it has no worksheet (" + parts->sheet + ")");
  }
  auto impl = std::make_unique<Impl>();
  Result<std::vector<std::string>> strings = ReadSharedStrings(*zip, parts->shared_strings);
  if (!strings.ok()) return strings.status();
  impl->shared_strings = std::move(*strings);
  Result<std::string> sheet = zip->Read(parts->sheet);
  if (!sheet.ok()) return sheet.status();
  impl->sheet_xml = std::move(*sheet);
  if (Status s = ParseXml(impl->sheet_xml, parts->sheet, &impl->sheet); !s.ok()) return s;
  return XlsxSheet(std::move(impl));
}

void XlsxSheet::ForEachRow(const std::function<bool(const SheetRow&)>& visit) const {
  pugi::xml_node data = FindDescendant(impl_->sheet, "sheetData");
  SheetRow row;
  int previous_row = 0;
  for (pugi::xml_node r = data.first_child(); r; r = r.next_sibling()) {
    if (r.type() != pugi::node_element || LocalName(r) != "row") continue;
    row.row = ParseRowNumber(r.attribute("r").value(), previous_row + 1);
    previous_row = row.row;
    row.cells.clear();
    int next_column = 0;
    for (pugi::xml_node c = r.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element || LocalName(c) != "c") continue;
      int column = ColumnOf(c.attribute("r").value());
      if (column < 0) column = next_column;
      next_column = column + 1;
      std::string_view type = c.attribute("t").value();
      std::string text;
      if (type == "inlineStr") {
        AppendText(FirstChild(c, "is"), &text);
      } else {
        std::string_view value = FirstChild(c, "v").text().get();
        if (type == "s") {
          size_t index = 0;
          bool numeric = !value.empty() && value.size() < 10;
          for (char ch : value) numeric = numeric && IsDigit(ch);
          if (numeric) index = std::stoul(std::string(value));
          if (numeric && index < impl_->shared_strings.size()) {
            text = impl_->shared_strings[index];
          }
        } else if (type.empty() || type == "n") {
          text = ExactNumberText(value);
        } else {
          text = value;
        }
      }
      if (!text.empty()) row.cells.push_back({column, std::move(text)});
    }
    if (!row.cells.empty() && !visit(row)) return;
  }
}

}  // namespace imeiflow
