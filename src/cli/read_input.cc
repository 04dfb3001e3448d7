#include "cli/read_input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace imeiflow::cli {

Result<std::string> ReadInput(const std::string& path) {
  bool from_stdin = path == "-";
  std::FILE* f = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return Status::IoError("cannot open '" + path + "': " + std::strerror(errno));
  }
  std::string bytes;
  char chunk[64 * 1024];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) bytes.append(chunk, n);
  bool failed = std::ferror(f) != 0;
  int error = errno;
  if (!from_stdin) std::fclose(f);
  if (failed) {
    return Status::IoError("cannot read '" + (from_stdin ? std::string("standard input") : path) +
                           "': " + std::strerror(error));
  }
  return bytes;
}

}  // namespace imeiflow::cli
