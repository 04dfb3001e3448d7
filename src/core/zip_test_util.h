// ZipEntry: one entry of a zip file read with libzip, for tests that open
// the XLSX files imeiflow writes. Tests only. Thread-safe (no shared state).
#pragma once

#include <zip.h>

#include <string>

namespace imeiflow {

/// The entry `name` of the zip file at `path` ("" when the file or entry is missing).
inline std::string ZipEntry(const std::string& path, const char* name) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive == nullptr) return "";
  std::string content;
  zip_stat_t stat;
  zip_file_t* file = nullptr;
  if (zip_stat(archive, name, 0, &stat) == 0 && (file = zip_fopen(archive, name, 0)) != nullptr) {
    content.resize(stat.size);
    zip_int64_t got = zip_fread(file, content.data(), stat.size);
    content.resize(got < 0 ? 0 : static_cast<size_t>(got));
    zip_fclose(file);
  }
  zip_close(archive);
  return content;
}

}  // namespace imeiflow
