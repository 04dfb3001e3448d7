// `imeiflow check FILE|-`: reads IMEIs (text, CSV or XLSX) from a file or
// standard input and prints what is valid, invalid, repeated or completed.
// Exit 0 when no entry is invalid (repeats and completed 14-digit entries are
// fine), 1 when some are or the input cannot be read.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/command.h"
#include "cli/output.h"
#include "cli/read_input.h"
#include "core/input.h"
#include "core/status.h"
#include "core/terminal_text.h"

namespace imeiflow::cli {
namespace {

struct CheckOptions {
  std::string file;   // path, or "-" for standard input
  bool json = false;  // print one JSON object instead of the summary
};

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void PrintSummary(const std::string& name, const CheckReport& report) {
  std::cout << name << " (" << InputFormatName(report.format)
            << "): " << Plural(report.imeis.size(), "valid IMEI", "valid IMEIs") << ", "
            << report.invalid.size() << " invalid, "
            << Plural(report.duplicates.size(), "duplicate", "duplicates") << ", "
            << report.completed.size() << " completed\n";
  if (!report.invalid.empty()) {
    std::cout << "\nInvalid (not an IMEI; fix these lines):\n";
    for (const InvalidEntry& e : report.invalid) {
      std::cout << "  line " << e.line << ": \"" << TerminalSafe(e.input) << "\": " << e.reason
                << "\n";
    }
  }
  if (!report.duplicates.empty()) {
    std::cout << "\nDuplicates (kept once):\n";
    for (const DuplicateImei& d : report.duplicates) {
      std::cout << "  line " << d.line << ": " << d.imei;
      if (d.input != d.imei) std::cout << " (\"" << TerminalSafe(d.input) << "\")";
      std::cout << ", first on line " << d.first_line << "\n";
    }
  }
  if (!report.completed.empty()) {
    std::cout << "\nCompleted (14 digits; check digit added):\n";
    for (const LineImei& c : report.completed) {
      std::cout << "  line " << c.line << ": \"" << TerminalSafe(c.input) << "\" -> " << c.imei
                << "\n";
    }
  }
}

nlohmann::json ToJson(const CheckReport& report) {
  nlohmann::json invalid = nlohmann::json::array();
  for (const InvalidEntry& e : report.invalid) {
    invalid.push_back({{"line", e.line}, {"input", e.input}, {"reason", e.reason}});
  }
  nlohmann::json duplicates = nlohmann::json::array();
  for (const DuplicateImei& d : report.duplicates) {
    duplicates.push_back(
        {{"line", d.line}, {"imei", d.imei}, {"first_line", d.first_line}, {"input", d.input}});
  }
  nlohmann::json completed = nlohmann::json::array();
  for (const LineImei& c : report.completed) {
    completed.push_back({{"line", c.line}, {"imei", c.imei}, {"input", c.input}});
  }
  return {{"valid", report.imeis.size()},
          {"format", InputFormatName(report.format)},
          {"imeis", report.imeis},
          {"invalid", std::move(invalid)},
          {"duplicates", std::move(duplicates)},
          {"completed", std::move(completed)}};
}

void PrintJson(const nlohmann::json& value) {
  // Raw input may hold bytes that are not UTF-8: replace them, never throw.
  std::cout << JsonText(value, 2) << "\n";
}

int RunCheck(const CheckOptions& options) {
  std::string name = options.file == "-" ? "standard input" : options.file;
  Result<std::string> bytes = ReadInput(options.file);
  Result<CheckReport> report =
      bytes.ok() ? ParseImeiInput(*bytes, name) : Result<CheckReport>(bytes.status());
  if (!report.ok()) {
    std::cerr << "imeiflow check: " << report.status().message() << "\n";
    if (options.json) PrintJson({{"error", report.status().message()}});
    return kExitFailure;
  }
  if (options.json) {
    PrintJson(ToJson(*report));
  } else {
    PrintSummary(name, *report);
  }
  return report->invalid.empty() ? kExitOk : kExitFailure;
}

}  // namespace

void AddCheckCommand(CLI::App& app, const GlobalOptions&, CommandOutcome& outcome) {
  auto* cmd = app.add_subcommand("check", "Validate IMEI input; print invalid and duplicate lines");
  auto options = std::make_shared<CheckOptions>();
  cmd->add_option("file", options->file, "input file (text, CSV or XLSX), or - for standard input")
      ->required();
  cmd->add_flag("--json", options->json, "print one JSON object instead of the summary");
  cmd->callback([options, &outcome]() { outcome.exit_code = RunCheck(*options); });
}

}  // namespace imeiflow::cli
