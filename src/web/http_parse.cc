#include "web/http_parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "core/utf8.h"

namespace imeiflow::web {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr size_t kMaxBoundary = 70;  // RFC 2046

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The byte an escape "%HH" at text[i] stands for, if it is one.
std::optional<char> EscapeAt(std::string_view text, size_t i) {
  if (i + 2 >= text.size()) return std::nullopt;
  const int high = HexValue(text[i + 1]);
  const int low = HexValue(text[i + 2]);
  if (high < 0 || low < 0) return std::nullopt;
  return static_cast<char>(high * 16 + low);
}

// Percent-decodes a query or form component; "+" is a space and a malformed
// escape stays as it is.
std::string DecodeFormComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (std::optional<char> byte = text[i] == '%' ? EscapeAt(text, i) : std::nullopt) {
      out += *byte;
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool IsUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    std::optional<Utf8Char> c = DecodeUtf8(text, i);
    if (!c) return false;
    i += c->length;
  }
  return true;
}

// One `key=value` parameter of a header (`name="file"`), the value unquoted.
struct HeaderParam {
  std::string key;  // lower case
  std::string value;
};

// Splits `; key=value; key="quoted; value"` into its parameters; fails on an
// unterminated quote. `text` starts after the header's first value.
Result<std::vector<HeaderParam>> ParseHeaderParams(std::string_view text) {
  std::vector<HeaderParam> params;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ';' || text[i] == ' ' || text[i] == '\t') {
      ++i;
      continue;
    }
    const size_t key_end = text.find_first_of("=;", i);
    HeaderParam param;
    for (char c : Trim(text.substr(i, key_end - i))) param.key += Lower(c);
    if (key_end == std::string_view::npos || text[key_end] == ';') {
      params.push_back(std::move(param));  // a bare word: no value
      i = key_end;
      continue;
    }
    i = key_end + 1;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i < text.size() && text[i] == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        param.value += text[i];
      }
      if (i >= text.size()) return Status::InvalidArgument("a quoted value has no closing quote");
      ++i;
    } else {
      const size_t end = std::min(text.find(';', i), text.size());
      param.value = std::string(Trim(text.substr(i, end - i)));
      i = end;
    }
    params.push_back(std::move(param));
  }
  return params;
}

const HeaderParam* FindParam(const std::vector<HeaderParam>& params, std::string_view key) {
  for (const HeaderParam& p : params) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

// The headers of one multipart part that matter: its disposition and type.
struct PartHeaders {
  std::string name;
  std::optional<std::string> filename;  // set: a file part
  std::string content_type;
};

Result<PartHeaders> ParsePartHeaders(std::string_view block) {
  PartHeaders part;
  bool has_disposition = false;
  while (!block.empty()) {
    const size_t end = std::min(block.find(kCrlf), block.size());
    const std::string_view line = block.substr(0, end);
    block.remove_prefix(std::min(end + kCrlf.size(), block.size()));
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return Status::InvalidArgument("a header line has no ':'");
    }
    const std::string_view name = Trim(line.substr(0, colon));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsIgnoringCase(name, "Content-Type")) {
      part.content_type = std::string(value);
    } else if (EqualsIgnoringCase(name, "Content-Disposition")) {
      const size_t semicolon = std::min(value.find(';'), value.size());
      if (!EqualsIgnoringCase(Trim(value.substr(0, semicolon)), "form-data")) {
        return Status::InvalidArgument("its Content-Disposition is not form-data");
      }
      Result<std::vector<HeaderParam>> params = ParseHeaderParams(value.substr(semicolon));
      if (!params.ok())
        return Status::InvalidArgument("Content-Disposition: " + params.status().message());
      const HeaderParam* field = FindParam(*params, "name");
      if (field == nullptr) return Status::InvalidArgument("it has no name");
      part.name = field->value;
      if (const HeaderParam* file = FindParam(*params, "filename")) {
        part.filename = file->value;
      } else if (FindParam(*params, "filename*") != nullptr) {
        part.filename = "";  // an RFC 5987 name only: a file all the same
      }
      has_disposition = true;
    }
  }
  if (!has_disposition) return Status::InvalidArgument("it has no Content-Disposition");
  return part;
}

}  // namespace

Result<std::string> DecodePath(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out += raw[i];
      continue;
    }
    std::optional<char> byte = EscapeAt(raw, i);
    if (!byte) {
      return Status::InvalidArgument(fmt::format("a malformed %-escape at byte {}", i + 1));
    }
    out += *byte;
    i += 2;
  }
  if (out.find('\0') != std::string::npos) return Status::InvalidArgument("it holds a NUL byte");
  if (!IsUtf8(out)) return Status::InvalidArgument("it is not valid UTF-8");
  return out;
}

Status ParseUrlEncoded(std::string_view text, HttpParams& out) {
  size_t fields = 0;
  while (!text.empty()) {
    const size_t end = std::min(text.find('&'), text.size());
    const std::string_view pair = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (pair.empty()) continue;
    if (++fields > kMaxHttpFields) {
      return Status::TooLarge(fmt::format("more than {} parameters", kMaxHttpFields));
    }
    const size_t eq = std::min(pair.find('='), pair.size());
    out.emplace(DecodeFormComponent(pair.substr(0, eq)),
                DecodeFormComponent(pair.substr(std::min(eq + 1, pair.size()))));
  }
  return Status::Ok();
}

bool IsMediaType(std::string_view content_type, std::string_view type) {
  const size_t semicolon = std::min(content_type.find(';'), content_type.size());
  return EqualsIgnoringCase(Trim(content_type.substr(0, semicolon)), type);
}

Result<std::string> MultipartBoundary(std::string_view content_type) {
  const size_t semicolon = std::min(content_type.find(';'), content_type.size());
  Result<std::vector<HeaderParam>> params = ParseHeaderParams(content_type.substr(semicolon));
  if (!params.ok()) return Status::InvalidArgument("Content-Type: " + params.status().message());
  const HeaderParam* boundary = FindParam(*params, "boundary");
  if (boundary == nullptr || boundary->value.empty()) {
    return Status::InvalidArgument("the multipart Content-Type has no boundary");
  }
  if (boundary->value.size() > kMaxBoundary) {
    return Status::InvalidArgument(
        fmt::format("the multipart boundary is longer than {} characters", kMaxBoundary));
  }
  return boundary->value;
}

Status ParseMultipart(std::string_view body, std::string_view boundary, HttpParams& form,
                      HttpFiles& files) {
  const std::string delimiter = "\r\n--" + std::string(boundary);
  // The first delimiter may open the body, without the CRLF before it.
  size_t pos = 0;
  if (body.starts_with(std::string_view(delimiter).substr(kCrlf.size()))) {
    pos = delimiter.size() - kCrlf.size();
  } else if (size_t first = body.find(delimiter); first != std::string_view::npos) {
    pos = first + delimiter.size();
  } else {
    return Status::InvalidArgument("the multipart body does not hold its boundary");
  }
  for (size_t part = 1;; ++part) {
    if (body.substr(pos, 2) == "--") return Status::Ok();  // the closing delimiter
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != kCrlf) {
      return Status::InvalidArgument(
          fmt::format("multipart part {}: the boundary line does not end in CRLF", part));
    }
    if (part > kMaxHttpFields) {
      return Status::TooLarge(fmt::format("more than {} multipart parts", kMaxHttpFields));
    }
    pos += kCrlf.size();
    // Headers end at a blank line; with no headers the blank line comes at once.
    size_t headers_end = pos;
    size_t content = pos + kCrlf.size();
    if (body.substr(pos, 2) != kCrlf) {
      headers_end = body.find("\r\n\r\n", pos);
      content = headers_end + 4;
    }
    const size_t next = headers_end == std::string_view::npos ? std::string_view::npos
                                                              : body.find(delimiter, content);
    if (headers_end == std::string_view::npos || next == std::string_view::npos) {
      return Status::InvalidArgument(fmt::format(
          "multipart part {} is cut short: no blank line after its headers or no closing boundary",
          part));
    }
    Result<PartHeaders> headers = ParsePartHeaders(body.substr(pos, headers_end - pos));
    if (!headers.ok()) {
      return Status::InvalidArgument(
          fmt::format("multipart part {}: {}", part, headers.status().message()));
    }
    std::string_view value = body.substr(content, next - content);
    if (headers->filename) {
      files.emplace(std::move(headers->name),
                    FormFile{std::move(*headers->filename), std::move(headers->content_type),
                             std::string(value)});
    } else {
      form.emplace(std::move(headers->name), std::string(value));
    }
    pos = next + delimiter.size();
  }
}

Status ParseRequestParts(std::string_view target, std::string body, HttpRequest& request) {
  const size_t question = std::min(target.find('?'), target.size());
  request.path = std::string(target.substr(0, question));
  Result<std::string> path = DecodePath(request.path);
  if (!path.ok()) return Status::InvalidArgument("the path: " + path.status().message());
  request.path = std::move(*path);
  if (question < target.size()) {
    if (Status s = ParseUrlEncoded(target.substr(question + 1), request.query); !s.ok()) {
      return Status(s.code(), "the query string: " + s.message());
    }
  }
  const std::string content_type = request.Header("Content-Type");
  if (IsMediaType(content_type, "multipart/form-data")) {
    Result<std::string> boundary = MultipartBoundary(content_type);
    if (!boundary.ok()) return boundary.status();
    return ParseMultipart(body, *boundary, request.form, request.files);
  }
  if (IsMediaType(content_type, "application/x-www-form-urlencoded")) {
    if (Status s = ParseUrlEncoded(body, request.form); !s.ok()) {
      return Status(s.code(), "the form: " + s.message());
    }
  }
  request.body = std::move(body);
  return Status::Ok();
}

std::string EscapeForLog(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80) {
      if (std::optional<Utf8Char> c = DecodeUtf8(text, i)) {
        out.append(text.substr(i, c->length));
        i += c->length;
        continue;
      }
    }
    if (byte < 0x20 || byte == 0x7f || byte == '\\' || byte >= 0x80) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += text[i];
    }
    ++i;
  }
  return out;
}

}  // namespace imeiflow::web
