// HttpParse: the parts of an HTTP request a server library leaves raw, turned
// into what HttpRequest holds: the percent-decoded path, the query string and
// url-encoded forms as parameters, multipart/form-data bodies as fields and
// files. Plain C++ (no server library), so the fuzz build can test it alone.
// Every function bounds its output by its input (no amplification) and
// reports malformed input as a Status naming what is wrong, never a crash.
// Pure functions: safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"
#include "web/http.h"

namespace imeiflow::web {

/// The most parameters or form parts one query string or body may hold.
inline constexpr size_t kMaxHttpFields = 100'000;

/// The file parts of a multipart body, by field name.
using HttpFiles = std::multimap<std::string, FormFile, std::less<>>;

/// Percent-decodes a request path ("+" stays "+"). Fails on a malformed
/// escape ("%4" or "%zz"), an encoded NUL or bytes that are not UTF-8;
/// other control characters are kept for the application to judge.
Result<std::string> DecodePath(std::string_view raw);

/// Adds the name=value pairs of a query string or an
/// application/x-www-form-urlencoded body to `out` ("+" is a space; a
/// malformed escape is kept as it is, as browsers do). Fails only beyond
/// kMaxHttpFields pairs.
Status ParseUrlEncoded(std::string_view text, HttpParams& out);

/// Whether the Content-Type `content_type` names the media type `type`
/// ("multipart/form-data"), ignoring case and parameters.
bool IsMediaType(std::string_view content_type, std::string_view type);

/// The boundary parameter of a multipart Content-Type, quoted or not.
/// Fails when it is missing, empty, longer than 70 characters or unterminated.
Result<std::string> MultipartBoundary(std::string_view content_type);

/// Parses a multipart/form-data `body` delimited by `boundary`: parts with a
/// filename attribute (even an empty one: a file input with no file chosen)
/// go to `files`, the others to `form`. Fails, naming the part, on a missing
/// delimiter, a part without a name, headers without their blank line, or
/// more than kMaxHttpFields parts.
Status ParseMultipart(std::string_view body, std::string_view boundary, HttpParams& form,
                      HttpFiles& files);

/// Fills `request.path`, `query`, `form`, `files` and `body` from the request
/// target and the raw body, by the request's Content-Type: multipart bodies
/// become fields and files (`body` stays empty), url-encoded ones fields
/// while `body` keeps the raw text, any other type stays raw in `body`.
Status ParseRequestParts(std::string_view target, std::string body, HttpRequest& request);

/// `text` with control characters, backslashes and bytes that are not UTF-8
/// written as \xHH escapes, so a path or method can be logged without
/// forging a line.
std::string EscapeForLog(std::string_view text);

}  // namespace imeiflow::web
