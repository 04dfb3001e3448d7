// SetUpLogging and LogLevelProblem (declared in core/config.h): the
// process-wide spdlog logger.
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <optional>
#include <utility>

#include "core/config.h"

namespace imeiflow {
namespace {

// Our names, not spdlog::level::from_str: that one answers "off" for any
// unknown name, which would silence logging on a typo.
constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 7> kLevels = {{
    {"trace", spdlog::level::trace},
    {"debug", spdlog::level::debug},
    {"info", spdlog::level::info},
    {"warn", spdlog::level::warn},
    {"error", spdlog::level::err},
    {"critical", spdlog::level::critical},
    {"off", spdlog::level::off},
}};

std::optional<spdlog::level::level_enum> LevelNamed(std::string_view name) {
  for (const auto& [level_name, level] : kLevels) {
    if (level_name == name) return level;
  }
  return std::nullopt;
}

}  // namespace

std::string LogLevelProblem(const std::string& level) {
  if (LevelNamed(level)) return "";
  return fmt::format("expected one of trace, debug, info, warn, error, critical, off, got \"{}\"",
                     level);
}

Status SetUpLogging(const LogConfig& log) {
  std::optional<spdlog::level::level_enum> level = LevelNamed(log.level);
  if (!level) return Status::InvalidArgument("[log] level: " + LogLevelProblem(log.level));
  spdlog::sink_ptr sink;
  if (log.file.empty()) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else {
    try {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(log.file, /*truncate=*/false);
    } catch (const spdlog::spdlog_ex& e) {
      return Status::IoError(fmt::format("[log] file {}: cannot open ({})", log.file, e.what()));
    }
  }
  auto logger = std::make_shared<spdlog::logger>("imeiflow", std::move(sink));
  logger->set_level(*level);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %v");
  // Warnings and errors reach the file at once; routine lines are buffered.
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  return Status::Ok();
}

}  // namespace imeiflow
