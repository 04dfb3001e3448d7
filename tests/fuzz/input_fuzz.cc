// Feeds arbitrary bytes to ParseImeiInput. The first byte picks a file-name
// hint (none, .txt, .csv, .xlsx); the rest is the input. Also checks the
// report's invariants: every IMEI is 15 digits with a valid check digit,
// lines are positive, imeis and imei_lines have the same length.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/imei.h"
#include "core/input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr std::string_view kHints[] = {"", "paste.txt", "upload.csv", "book.xlsx"};
  std::string_view hint = kHints[data[0] % 4];
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  imeiflow::InputOptions options;
  options.max_unzipped_entry_bytes = 8 << 20;  // keep the fuzzer's memory small
  options.max_unzipped_total_bytes = 16 << 20;
  imeiflow::Result<imeiflow::CheckReport> report = imeiflow::ParseImeiInput(bytes, hint, options);
  if (!report.ok()) return 0;
  if (report->imeis.size() != report->imei_lines.size()) std::abort();
  for (const auto& imei : report->imeis) {
    if (!imeiflow::LuhnValid(imei)) std::abort();
  }
  for (int line : report->imei_lines) {
    if (line < 1) std::abort();
  }
  for (const auto& entry : report->invalid) {
    if (entry.line < 1 || entry.reason.empty()) std::abort();
  }
  return 0;
}
