#include "web/http.h"

#include <algorithm>
#include <cctype>

namespace imeiflow::web {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

template <typename Map>
std::string FirstOf(const Map& map, std::string_view key) {
  auto it = map.find(key);
  return it == map.end() ? "" : it->second;
}

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return Lower(x) < Lower(y); });
}

bool HttpRequest::HasHeader(std::string_view name) const { return headers.contains(name); }

std::string HttpRequest::Header(std::string_view name) const { return FirstOf(headers, name); }

bool HttpRequest::HasParam(const std::string& name) const {
  return form.contains(name) || query.contains(name);
}

std::string HttpRequest::Param(const std::string& name) const {
  if (form.contains(name)) return FirstOf(form, name);
  return FirstOf(query, name);
}

std::string HttpRequest::FormField(const std::string& name) const { return FirstOf(form, name); }

bool HttpRequest::HasFile(const std::string& name) const { return files.contains(name); }

FormFile HttpRequest::File(const std::string& name) const {
  auto it = files.find(name);
  return it == files.end() ? FormFile{} : it->second;
}

void HttpResponse::SetHeader(const std::string& name, const std::string& value) {
  headers.erase(name);
  headers.emplace(name, value);
}

void HttpResponse::AddHeader(const std::string& name, const std::string& value) {
  headers.emplace(name, value);
}

bool HttpResponse::HasHeader(std::string_view name) const { return headers.contains(name); }

std::string HttpResponse::Header(std::string_view name) const { return FirstOf(headers, name); }

void HttpResponse::SetContent(std::string content, const std::string& content_type) {
  body = std::move(content);
  SetHeader("Content-Type", content_type);
}

void HttpResponse::Redirect(const std::string& location) {
  status = 303;
  SetHeader("Location", location);
}

void Router::Get(const std::string& pattern, HttpHandler handler) {
  routes_.push_back({"GET", std::regex(pattern), std::move(handler)});
}

void Router::Post(const std::string& pattern, HttpHandler handler) {
  routes_.push_back({"POST", std::regex(pattern), std::move(handler)});
}

void Router::Any(const std::string& pattern, HttpHandler handler) {
  routes_.push_back({"", std::regex(pattern), std::move(handler)});
}

Router::Match Router::Dispatch(HttpRequest& request, HttpResponse& response) const {
  // HEAD is a GET whose body the server drops.
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  bool path_known = false;
  for (const Route& route : routes_) {
    std::smatch match;
    if (!std::regex_match(request.path, match, route.pattern)) continue;
    path_known = true;
    if (!route.method.empty() && route.method != method) continue;
    request.matches.assign(match.begin(), match.end());
    route.handler(request, response);
    return Match::kHandled;
  }
  return path_known ? Match::kMethodNotAllowed : Match::kNotFound;
}

}  // namespace imeiflow::web
