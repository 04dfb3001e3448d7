// Test helpers that build real XLSX workbooks in memory: with libxlsxwriter
// (as Excel would write them) and by hand with libzip (for inline strings,
// corrupt parts and zip bombs). For unit tests only; not thread-safe.
#pragma once

#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace imeiflow::testing {

/// A unique path in the temporary directory for `stem`.
inline std::string TempPath(const std::string& stem) {
  static int counter = 0;
  return std::string(P_tmpdir) + "/imeiflow_" + stem + "_" + std::to_string(::getpid()) + "_" +
         std::to_string(counter++);
}

/// The whole content of `path`, then removes the file.
inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::remove(path.c_str());
  return buffer.str();
}

/// A cell for WriteXlsx: text, or a number.
struct XlsxCell {
  int row;  ///< 0-based
  int column;
  std::variant<std::string, double> value;
};

/// A workbook written by libxlsxwriter whose first sheet holds `cells`
/// (a second sheet holds `second_sheet` cells, when given).
inline std::string WriteXlsx(const std::vector<XlsxCell>& cells,
                             const std::vector<XlsxCell>& second_sheet = {}) {
  std::string path = TempPath("book") + ".xlsx";
  lxw_workbook* book = workbook_new(path.c_str());
  auto fill = [&](const std::vector<XlsxCell>& which) {
    lxw_worksheet* sheet = workbook_add_worksheet(book, nullptr);
    for (const XlsxCell& c : which) {
      if (const auto* s = std::get_if<std::string>(&c.value)) {
        worksheet_write_string(sheet, c.row, c.column, s->c_str(), nullptr);
      } else {
        worksheet_write_number(sheet, c.row, c.column, std::get<double>(c.value), nullptr);
      }
    }
  };
  fill(cells);
  if (!second_sheet.empty()) fill(second_sheet);
  workbook_close(book);
  return Slurp(path);
}

/// A zip archive holding `entries` (name, content), deflated.
inline std::string WriteZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string path = TempPath("zip") + ".zip";
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  for (const auto& [name, content] : entries) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    zip_int64_t index = zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE);
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 9);
  }
  zip_close(archive);
  return Slurp(path);
}

/// A minimal hand-made workbook whose single sheet is `sheet_data` (the
/// content of <sheetData>), with optional shared strings (<si> elements).
inline std::string MinimalXlsx(const std::string& sheet_data, const std::string& shared = "") {
  std::vector<std::pair<std::string, std::string>> entries = {
      {"[Content_Types].xml",
       R"(<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)"},
      {"xl/workbook.xml",
       R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="IMEIs" sheetId="1" r:id="rId7"/></sheets></workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/><Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/></Relationships>)"},
      {"xl/worksheets/data.xml",
       R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
           sheet_data + "</sheetData></worksheet>"},
  };
  if (!shared.empty()) {
    entries.push_back(
        {"xl/strings.xml",
         R"(<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" +
             shared + "</sst>"});
  }
  return WriteZip(entries);
}

}  // namespace imeiflow::testing
