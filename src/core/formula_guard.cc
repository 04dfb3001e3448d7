#include "core/formula_guard.h"

namespace imeiflow {

bool NeedsFormulaGuard(std::string_view cell) {
  size_t first = cell.find_first_not_of('\'');
  if (first == std::string_view::npos) return false;
  switch (cell[first]) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
      return true;
    default:
      return false;
  }
}

std::string NeutraliseFormula(std::string_view cell) {
  if (!NeedsFormulaGuard(cell)) return std::string(cell);
  std::string guarded;
  guarded.reserve(cell.size() + 1);
  guarded += '\'';
  guarded += cell;
  return guarded;
}

std::string RestoreFormula(std::string_view cell) {
  if (cell.starts_with('\'') && NeedsFormulaGuard(cell.substr(1))) {
    return std::string(cell.substr(1));
  }
  return std::string(cell);
}

}  // namespace imeiflow
