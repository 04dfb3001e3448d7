// libFuzzer target: the request parts a hostile client controls (the target's
// path and query, the Content-Type and a multipart or url-encoded body) must
// never crash the parser nor make it hold more than a bounded multiple of
// its input. The first line of the input is the Content-Type, the second
// the request target, the rest the body.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "web/http_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto line = [&input] {
    const size_t end = std::min(input.find('\n'), input.size());
    std::string_view out = input.substr(0, end);
    input.remove_prefix(std::min(end + 1, input.size()));
    return out;
  };
  const std::string_view content_type = line();
  const std::string_view target = line();
  imeiflow::web::HttpRequest request;
  request.headers.emplace("Content-Type", std::string(content_type));
  // Any verdict will do: what the parser holds afterwards is what is checked.
  static_cast<void>(imeiflow::web::ParseRequestParts(target, std::string(input), request));

  size_t held = request.path.size() + request.body.size();
  for (const auto& [name, value] : request.query) held += name.size() + value.size();
  for (const auto& [name, value] : request.form) held += name.size() + value.size();
  for (const auto& [name, file] : request.files) {
    held += name.size() + file.filename.size() + file.content_type.size() + file.content.size();
  }
  if (held > 2 * size) std::abort();  // decoding only shrinks; a part is copied once
  (void)imeiflow::web::EscapeForLog(target);
  return 0;
}
