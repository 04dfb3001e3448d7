#include "cli/order_filter_options.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>

#include "cli/command.h"
#include "cli/command_env.h"
#include "cli/number_option.h"
#include "cli/read_input.h"
#include "cli/time_text.h"
#include "core/input.h"
#include "store/supplier_export.h"

namespace imeiflow::cli {
namespace {

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;

// The IMEIs to search for, read with the input parser (any separators).
Result<std::vector<std::string>> WantedImeis(const OrderFilterOptions& opt) {
  std::string text = opt.imeis;
  if (!opt.imei_file.empty()) {
    Result<std::string> bytes = ReadInput(opt.imei_file);
    if (!bytes.ok()) return bytes.status();
    text = std::move(*bytes);
  }
  if (text.empty()) return std::vector<std::string>();
  Result<CheckReport> report =
      ParseImeiInput(text, opt.imei_file.empty() ? "--imei" : opt.imei_file);
  if (!report.ok()) return report.status();
  if (!report->invalid.empty()) {
    const InvalidEntry& first = report->invalid.front();
    return Status::InvalidArgument(
        fmt::format("{} IMEI(s) of the list are not valid; line {}: \"{}\": {}",
                    report->invalid.size(), first.line, first.input, first.reason));
  }
  return std::move(report->imeis);
}

// The stored status --status names: imeiflow's name or the supplier's word
// ("In Process", "completed", "COMPLETED"), any case; a word that names no
// status would silently match nothing, so it is refused.
Result<store::OrderStatus> StoredStatus(std::string_view given) {
  std::optional<std::string> word = store::StoredStatusFromWord(given);
  std::optional<store::OrderStatus> stored = store::ParseOrderStatus(word.value_or(""));
  if (stored) return *stored;
  return Status::InvalidArgument(fmt::format("--status: \"{}\" is not an order status (one of: {})",
                                             given, store::OrderStatusNameList()));
}

// The flag of each result filter, and where its value is kept.
struct ResultFlag {
  std::string_view name;  // as in store::kResultFilterNames
  std::string OrderFilterOptions::*value;
  std::string_view help;
};
constexpr std::array<ResultFlag, 5> kResultFlags = {{
    {"fmi", &OrderFilterOptions::fmi, "Find My iPhone: on or off"},
    {"simlock", &OrderFilterOptions::simlock, "SIM-lock: locked or unlocked"},
    {"blacklisted", &OrderFilterOptions::blacklisted, "GSMA blacklist: yes or no"},
    {"carrier", &OrderFilterOptions::carrier, "carriers holding this text (any case)"},
    {"code", &OrderFilterOptions::code, "results holding this text (any case), e.g. a reason"},
}};

}  // namespace

void AddOrderFilterOptions(CLI::App* cmd, OrderFilterOptions* opt) {
  CLI::Option* list = cmd->add_option("--imei", opt->imeis, "IMEIs, any separators");
  cmd->add_option("--imei-file", opt->imei_file, "a file of IMEIs (text, CSV, XLSX; - for stdin)")
      ->excludes(list);
  cmd->add_option(
      "--status", opt->status,
      fmt::format("{} (or the supplier's word, e.g. \"In Process\"; any case)",
                  store::OrderStatusNameList()));
  cmd->add_option("--service", opt->service, "service id");
  cmd->add_option("--job", opt->job, "job id")->check(WholeNumber(1, INT64_MAX));
  cmd->add_option("--since", opt->since, "placed on or after this date (YYYY-MM-DD[THH:MM:SS])");
  cmd->add_option("--until", opt->until,
                  "placed on or before this day (YYYY-MM-DD), or before this instant "
                  "(YYYY-MM-DDTHH:MM:SS)");
  for (const ResultFlag& flag : kResultFlags) {
    cmd->add_option(fmt::format("--{}", flag.name), opt->*flag.value, std::string(flag.help));
  }
}

Result<store::OrderFilter> BuildOrderFilter(const OrderFilterOptions& opt) {
  store::OrderFilter filter;
  Result<std::vector<std::string>> imeis = WantedImeis(opt);
  if (!imeis.ok()) return imeis.status();
  filter.imeis = std::move(*imeis);
  if (!opt.status.empty()) {
    Result<store::OrderStatus> status = StoredStatus(opt.status);
    if (!status.ok()) return status.status();
    filter.status = *status;
  }
  for (const ResultFlag& flag : kResultFlags) {
    const std::string& value = opt.*flag.value;
    if (value.empty()) continue;
    if (Status s = store::SetResultFilter(flag.name, value, filter); !s.ok()) {
      return Status::InvalidArgument(fmt::format("--{}: {}", flag.name, s.message()));
    }
  }
  if (!opt.service.empty()) filter.service_id = opt.service;
  if (opt.job > 0) filter.job_id = opt.job;
  if (!opt.since.empty()) {
    filter.since_ms = ParseIsoUtc(opt.since);
    if (!filter.since_ms) {
      return Status::InvalidArgument(
          fmt::format("--since: \"{}\" is not a date (YYYY-MM-DD[THH:MM:SS])", opt.since));
    }
  }
  if (!opt.until.empty()) {
    filter.until_ms = ParseIsoUtc(opt.until);
    if (!filter.until_ms) {
      return Status::InvalidArgument(
          fmt::format("--until: \"{}\" is not a date (YYYY-MM-DD[THH:MM:SS])", opt.until));
    }
    // A day alone includes the whole day.
    if (opt.until.size() == 10) *filter.until_ms += kDayMs;
  }
  return filter;
}

int FilterFail(std::string_view command, const Status& status) {
  Fail(command, status);
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

}  // namespace imeiflow::cli
