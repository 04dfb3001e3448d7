// FormulaGuard: keeps spreadsheet programs from running a cell as a formula.
//
// Result codes are supplier-controlled text written to CSV and XLSX files. A
// cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return may be
// taken as a formula by Excel or LibreOffice, so exports write it with one
// leading single quote (`'=1+1`), which spreadsheets show as text.
//
// The change is undone exactly on import: RestoreFormula drops the quote that
// NeutraliseFormula added, and nothing else. To keep that lossless a cell
// that already starts with quotes followed by a trigger (`'=x`) gets one more
// quote too (`''=x`); every other cell is left as it is.
// Pure functions: safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace imeiflow {

/// True when `cell` is one NeutraliseFormula changes: zero or more single
/// quotes, then one of `=`, `+`, `-`, `@`, tab, CR.
bool NeedsFormulaGuard(std::string_view cell);

/// `cell` with a single quote in front when NeedsFormulaGuard, else unchanged.
std::string NeutraliseFormula(std::string_view cell);

/// The inverse of NeutraliseFormula: drops one leading quote when what
/// follows it NeedsFormulaGuard; any other cell is returned unchanged.
std::string RestoreFormula(std::string_view cell);

}  // namespace imeiflow
