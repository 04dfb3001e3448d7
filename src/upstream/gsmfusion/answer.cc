#include "upstream/gsmfusion/answer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <pugixml.hpp>

namespace imeiflow::upstream::gsmfusion {

namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsNoCase(text.substr(0, prefix.size()), prefix);
}

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Trim(std::string_view s) { return std::string(TrimView(s)); }

// A printable, bounded excerpt of supplier text for error messages.
std::string Excerpt(std::string_view s, size_t max = 60) {
  std::string out;
  for (char c : s.substr(0, max)) {
    out += std::isprint(static_cast<unsigned char>(c)) ? c : ' ';
  }
  if (s.size() > max) out += "...";
  return out;
}

// All text below `node`; a <br> element (unescaped markup in a result code)
// becomes the literal "<br>" so that the result-code parser sees it as sent.
std::string CollectText(pugi::xml_node node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      out += child.value();
    } else if (child.type() == pugi::node_element) {
      if (EqualsNoCase(child.name(), "br")) {
        out += "<br>";
      } else {
        out += CollectText(child);
      }
    }
  }
  return out;
}

pugi::xml_node Child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && EqualsNoCase(child.name(), name)) return child;
  }
  return {};
}

std::string ChildText(pugi::xml_node node, std::string_view name) {
  return Trim(CollectText(Child(node, name)));
}

template <typename Fn>
void ForEachChild(pugi::xml_node node, std::string_view name, Fn fn) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_element && EqualsNoCase(child.name(), name)) fn(child);
  }
}

size_t LineOf(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + std::count(text.begin(), text.begin() + offset, '\n');
}

// Strips what comes before the root element: a BOM, whitespace, and any
// `<?...?>` prolog (`<?xml` or the live suppliers' `<?phpxml`) or comments.
Result<std::string_view> StripProlog(std::string_view body) {
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  while (true) {
    body = TrimView(body);
    if (body.substr(0, 2) == "<?") {
      size_t end = body.find("?>");
      if (end == std::string_view::npos) {
        return Status::Corrupt("truncated XML answer: the <?...?> prolog never ends");
      }
      body.remove_prefix(end + 2);
    } else if (body.substr(0, 4) == "<!--") {
      size_t end = body.find("-->");
      if (end == std::string_view::npos)
        return Status::Corrupt("truncated XML answer: comment never ends");
      body.remove_prefix(end + 3);
    } else {
      return body;
    }
  }
}

std::string HtmlTitle(std::string_view page) {
  std::string lower(page.substr(0, 4096));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t open = lower.find("<title>");
  if (open == std::string::npos) return "";
  size_t close = lower.find("</title>", open);
  if (close == std::string::npos) return "";
  return Trim(page.substr(open + 7, close - open - 7));
}

// Result codes are sometimes separated by a bare `<br>` that the supplier did
// not escape, which no XML parser accepts; turn it into text.
bool HasBareBr(std::string_view xml) {
  for (size_t at = xml.find('<'); at != std::string_view::npos; at = xml.find('<', at + 1)) {
    if (StartsWithNoCase(xml.substr(at), "<br")) return true;
  }
  return false;
}

std::string EscapeBareBr(std::string_view xml) {
  std::string out;
  out.reserve(xml.size() + 16);
  size_t i = 0;
  while (i < xml.size()) {
    std::string_view rest = xml.substr(i);
    size_t len = 0;
    for (std::string_view form : {"<br>", "<br/>", "<br />"}) {
      if (StartsWithNoCase(rest, form)) len = form.size();
    }
    if (len) {
      out += "&lt;br&gt;";
      i += len;
    } else {
      out += xml[i++];
    }
  }
  return out;
}

// The parsed document of an answer, its root, and the `<error>` text if the
// root is an error.
struct Document {
  pugi::xml_document doc;
  pugi::xml_node root;
  std::optional<std::string> error;
};

Status Load(std::string_view body, Document& out) {
  Result<std::string_view> stripped = StripProlog(body);
  if (!stripped.ok()) return stripped.status();
  std::string_view xml = *stripped;
  if (xml.empty()) {
    return Status::Corrupt(body.empty() ? "empty answer (no body)"
                                        : "empty answer (no root element)");
  }
  if (StartsWithNoCase(xml, "<!doctype html") || StartsWithNoCase(xml, "<html")) {
    std::string title = HtmlTitle(xml);
    return Status::Corrupt(title.empty() ? "an HTML page instead of an XML answer"
                                         : "an HTML page instead of an XML answer: \"" +
                                               Excerpt(title) + "\"");
  }
  if (xml.front() != '<') {
    return Status::Corrupt("not an XML answer: starts with \"" + Excerpt(xml, 30) + "\"");
  }
  std::string escaped;
  if (HasBareBr(xml)) {
    escaped = EscapeBareBr(xml);
    xml = escaped;
  }
  pugi::xml_parse_result parsed =
      out.doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    auto offset = static_cast<size_t>(std::max<ptrdiff_t>(parsed.offset, 0));
    if (parsed.status == pugi::status_end_element_mismatch && offset + 1 >= xml.size()) {
      return Status::Corrupt(
          fmt::format("truncated XML answer: ends after {} bytes inside an element", xml.size()));
    }
    return Status::Corrupt(fmt::format("malformed XML answer at line {} (byte {} of {}): {}",
                                       LineOf(xml, offset), offset, xml.size(),
                                       parsed.description()));
  }
  out.root = out.doc.document_element();
  if (!out.root) return Status::Corrupt("XML answer without a root element");
  if (EqualsNoCase(out.root.name(), "error")) {
    out.error = Trim(CollectText(out.root));
  } else if (pugi::xml_node nested = Child(out.root, "error");
             nested && !Child(out.root, "imeis") && !Child(out.root, "Package")) {
    out.error = Trim(CollectText(nested));  // <result><error>..</error></result>
  }
  return Status::Ok();
}

Status ExpectRoot(const Document& d, std::string_view name) {
  if (d.error || EqualsNoCase(d.root.name(), name)) return Status::Ok();
  return Status::Corrupt(fmt::format("unexpected XML answer: root <{}>, expected <{}>",
                                     Excerpt(d.root.name(), 40), name));
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(",; \n\r\t", start);
    if (end == std::string_view::npos) end = text.size();
    std::string item = Trim(text.substr(start, end - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

// Characters (UTF-8 code points) in `text`: continuation bytes do not count.
size_t CharCount(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Refuses a package whose fields exceed their bounds, naming the field and
// the package (its id when that is short enough to show, else its number).
Status CheckServiceFields(const Service& s, size_t number) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"PackageId", &s.id},       {"Category", &s.category},
      {"PackageTitle", &s.title}, {"PackagePrice", &s.price_text},
      {"TimeTaken", &s.delivery}, {"MustRead", &s.must_read},
  };
  bool id_shown = !s.id.empty() && CharCount(s.id) <= kMaxServiceFieldChars;
  std::string package = id_shown ? "package " + Excerpt(s.id) : fmt::format("package #{}", number);
  for (const auto& [name, value] : fields) {
    size_t limit = value == &s.must_read ? kMaxMustReadChars : kMaxServiceFieldChars;
    size_t chars = CharCount(*value);
    if (chars > limit) {
      return Status::Corrupt(fmt::format("{}: {} is {} characters long; at most {} are accepted",
                                         package, name, chars, limit));
    }
  }
  return Status::Ok();
}

}  // namespace

OrderStatus ParseOrderStatus(std::string_view text) {
  std::string word;
  for (char c : TrimView(text)) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (word == "1" || word == "pending") return OrderStatus::kPending;
  if (word == "2" || word == "completed" || word == "complete") return OrderStatus::kCompleted;
  if (word == "3" || word == "rejected") return OrderStatus::kRejected;
  if (word == "4" || word == "inprocess" || word == "processing") return OrderStatus::kInProcess;
  return OrderStatus::kUnrecognised;
}

Result<ServicesAnswer> ParseServicesAnswer(std::string_view body) {
  Document d;
  if (Status s = Load(body, d); !s.ok()) return s;
  if (Status s = ExpectRoot(d, "Packages"); !s.ok()) return s;
  ServicesAnswer answer;
  answer.error = d.error;
  if (d.error) return answer;
  size_t packages = 0;
  ForEachChild(d.root, "Package", [&](pugi::xml_node) { ++packages; });
  if (packages > kMaxServices) {
    return Status::Corrupt(fmt::format("the supplier lists {} services; at most {} are accepted",
                                       packages, kMaxServices));
  }
  size_t number = 0;
  Status bounds = Status::Ok();
  ForEachChild(d.root, "Package", [&](pugi::xml_node p) {
    ++number;
    if (!bounds.ok()) return;
    Service service;
    service.id = ChildText(p, "PackageId");
    service.category = ChildText(p, "Category");
    service.group = service.category;
    service.title = ChildText(p, "PackageTitle");
    service.price_text = ChildText(p, "PackagePrice");
    service.delivery = ChildText(p, "TimeTaken");
    service.must_read = ChildText(p, "MustRead");
    bounds = CheckServiceFields(service, number);
    if (!bounds.ok()) return;
    if (service.id.empty()) {
      answer.warnings.push_back(fmt::format("package #{} has no PackageId; skipped", number));
      return;
    }
    if (Result<Money> price = Money::Parse(service.price_text); price.ok()) {
      service.price = *price;
    } else {
      answer.warnings.push_back(fmt::format("package {}: price \"{}\" is not a price", service.id,
                                            Excerpt(service.price_text)));
    }
    answer.services.push_back(std::move(service));
  });
  if (!bounds.ok()) return bounds;
  return answer;
}

Result<PlaceOrderAnswer> ParsePlaceOrderAnswer(std::string_view body) {
  Document d;
  if (Status s = Load(body, d); !s.ok()) return s;
  if (Status s = ExpectRoot(d, "result"); !s.ok()) return s;
  PlaceOrderAnswer answer;
  answer.error = d.error;
  if (d.error) return answer;
  ForEachChild(d.root, "imeis", [&](pugi::xml_node entry) {
    PlacedOrder order;
    order.id = ChildText(entry, "id");
    order.imei = ChildText(entry, "imei");
    order.status = ParseOrderStatus(ChildText(entry, "status"));
    order.error = ChildText(entry, "error");
    answer.orders.push_back(std::move(order));
  });
  ForEachChild(d.root, "imeiduplicates", [&](pugi::xml_node dups) {
    ForEachChild(dups, "imei", [&](pugi::xml_node list) {
      for (std::string& imei : SplitList(CollectText(list)))
        answer.duplicates.push_back(std::move(imei));
    });
  });
  return answer;
}

Result<OrdersAnswer> ParseOrdersAnswer(std::string_view body) {
  Document d;
  if (Status s = Load(body, d); !s.ok()) return s;
  if (Status s = ExpectRoot(d, "result"); !s.ok()) return s;
  OrdersAnswer answer;
  answer.error = d.error;
  if (d.error) return answer;
  ForEachChild(d.root, "imeis", [&](pugi::xml_node entry) {
    OrderInfo order;
    order.order_id = ChildText(entry, "id");
    if (order.order_id.empty()) {
      answer.warnings.push_back("an <imeis> entry without <id>; skipped");
      return;
    }
    order.service = ChildText(entry, "package");
    order.imei = ChildText(entry, "imei");
    order.status_text = ChildText(entry, "status");
    order.status = ParseOrderStatus(order.status_text);
    order.code = ChildText(entry, "code");
    order.requested_at = ChildText(entry, "requestedat");
    answer.orders.push_back(std::move(order));
  });
  return answer;
}

}  // namespace imeiflow::upstream::gsmfusion
