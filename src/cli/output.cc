#include "cli/output.h"

#include <unistd.h>

#include "core/terminal_text.h"

namespace imeiflow::cli {

bool StdoutIsTerminal() {
  static const bool terminal = ::isatty(STDOUT_FILENO) == 1;
  return terminal;
}

std::string Shown(std::string_view text) {
  return StdoutIsTerminal() ? TerminalSafe(text) : std::string(text);
}

}  // namespace imeiflow::cli
