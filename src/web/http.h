// HttpRequest / HttpResponse: a request and its answer as the web
// application's route handlers see them, independent of the server library
// (http_server.h adapts one, so it can be swapped without touching a route).
// Router: maps a method and a path pattern (a std::regex over the whole
// decoded path) to a handler.
// Thread-safety: a request and its response belong to one handler call;
// a Router is filled before the server runs and only read afterwards.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace imeiflow::web {

/// Orders header names without regard to case ("Content-Type" == "content-type").
struct CaseInsensitiveLess {
  using is_transparent = void;
  /// Whether `a` sorts before `b`, ignoring ASCII case.
  bool operator()(std::string_view a, std::string_view b) const;
};

/// Header name -> value; a name may repeat (Set-Cookie).
using HttpHeaders = std::multimap<std::string, std::string, CaseInsensitiveLess>;
/// Decoded name -> value of a query string or a url-encoded / multipart form.
using HttpParams = std::multimap<std::string, std::string, std::less<>>;

/// One file part of a multipart/form-data body.
struct FormFile {
  std::string filename;      ///< the name the browser sent ("" when none was chosen)
  std::string content_type;  ///< e.g. "text/csv"
  std::string content;       ///< its bytes
};

/// A request, fully read and parsed.
struct HttpRequest {
  std::string method;       ///< "GET", "POST", ...
  std::string path;         ///< the percent-decoded path, without the query
  std::string target;       ///< the request target as sent ("/orders?page=2")
  HttpHeaders headers;      ///< every header
  HttpParams query;         ///< parameters of the query string
  HttpParams form;          ///< text fields of a url-encoded or multipart body
  std::multimap<std::string, FormFile, std::less<>> files;  ///< file parts of a multipart body
  std::string body;         ///< the raw body (empty for multipart: see form / files)
  std::string remote_addr;  ///< the client's address
  bool tls = false;         ///< whether it came over TLS
  /// The route's match: [0] the whole path, [1...] the pattern's groups.
  std::vector<std::string> matches;

  /// Whether header `name` is present.
  bool HasHeader(std::string_view name) const;
  /// The first value of header `name`; "" if absent.
  std::string Header(std::string_view name) const;
  /// Whether `name` is a query parameter or a form field.
  bool HasParam(const std::string& name) const;
  /// The form field `name`, else the query parameter; "" if neither.
  std::string Param(const std::string& name) const;
  /// The form field `name` only (never the query string); "" if absent.
  std::string FormField(const std::string& name) const;
  /// Whether the body has a file part `name`.
  bool HasFile(const std::string& name) const;
  /// The file part `name`; an empty FormFile if absent.
  FormFile File(const std::string& name) const;
};

/// A response whose body is produced bit by bit (server-sent events). The
/// server calls `next` once at once, then each `interval` after the last
/// chunk was written, on a worker thread; between calls the stream holds
/// no thread. `next` must not block: it returns the next chunk, or nullopt
/// to end the stream. The server ends it when the client leaves, when the
/// server stops, or after `max_duration`.
struct EventStream {
  std::chrono::milliseconds interval{1000};     ///< pause between calls of `next`
  std::chrono::seconds max_duration{120};       ///< the stream ends after this long
  std::function<std::optional<std::string>()> next;  ///< the next chunk; nullopt: the end
};

/// The response a handler builds.
struct HttpResponse {
  int status = 200;     ///< HTTP status code
  HttpHeaders headers;  ///< headers to send (Content-Length is the server's)
  std::string body;     ///< the body (ignored when `stream` is set)
  std::shared_ptr<EventStream> stream;  ///< set: the body is streamed, chunk by chunk

  /// Sets header `name` to `value`, replacing any earlier value.
  void SetHeader(const std::string& name, const std::string& value);
  /// Adds a header, keeping earlier ones of the same name (Set-Cookie).
  void AddHeader(const std::string& name, const std::string& value);
  /// Whether header `name` is set.
  bool HasHeader(std::string_view name) const;
  /// The first value of header `name`; "" if absent.
  std::string Header(std::string_view name) const;
  /// Sets the body and its Content-Type.
  void SetContent(std::string content, const std::string& content_type);
  /// 303 See Other to `location`.
  void Redirect(const std::string& location);
};

/// A route handler.
using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

/// Method + path pattern -> handler.
class Router {
 public:
  /// What Dispatch found.
  enum class Match {
    kHandled,         ///< a route matched and its handler ran
    kNotFound,        ///< no route has this path
    kMethodNotAllowed ///< the path exists, but not for this method
  };

  /// Registers `handler` for GET (and HEAD) of paths matching `pattern` as a whole.
  void Get(const std::string& pattern, HttpHandler handler);
  /// Registers `handler` for POST of paths matching `pattern` as a whole.
  void Post(const std::string& pattern, HttpHandler handler);
  /// Registers `handler` for every method of paths matching `pattern` (a
  /// catch-all answering 404 / 405 itself; register it after the others).
  void Any(const std::string& pattern, HttpHandler handler);
  /// Runs the first route matching the request's method and path, after
  /// filling `request.matches`.
  Match Dispatch(HttpRequest& request, HttpResponse& response) const;

 private:
  struct Route {
    std::string method;
    std::regex pattern;
    HttpHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace imeiflow::web
