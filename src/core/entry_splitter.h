// Splits pasted text, or one table cell, into IMEI entries with line numbers.
//
// The rule (text mode):
//  - Newlines (LF or CRLF), commas, semicolons and tabs always separate
//    entries. A comma inside a number in scientific notation with a decimal
//    comma (`3,52099E+14`) does not: that token stays whole so it gets the
//    right reason.
//  - Within what lies between those separators, spaces (and no-break spaces)
//    separate tokens. Printed digit groups are joined again: consecutive
//    tokens made only of digits and dashes, separated by exactly one space,
//    none of which has 14-16 digits by itself, are joined left to right while
//    they hold at most 16 digits together; each such run is one entry
//    (`35 209900 176148 1` -> one entry; `352099001761481 352099001761482`
//    -> two). Two or more spaces always separate entries.
//  - Dashes inside a token join (`35-209900-176148-1` is one entry); a token
//    of dashes only is a separator.
// Cell mode (a CSV field or XLSX cell) is the same except that commas and
// semicolons belong to the cell's text, and a line of the cell holding any
// token other than digits and dashes is one entry ("not known" is one
// invalid entry, not two).
//
// Each entry is a view into the input, so the entry's raw text is exactly
// what was typed. Stateless functions: safe from any thread.
#pragma once

#include <functional>
#include <string_view>

namespace imeiflow {

/// Which separators split entries: all of them (pasted text) or only
/// whitespace (a CSV field or spreadsheet cell).
enum class SplitMode {
  kText,  ///< pasted text: newlines, commas, semicolons, tabs and spaces separate
  kCell,  ///< one CSV field or spreadsheet cell: only whitespace separates
};

/// Receives one entry: its 1-based line number and its raw text (never empty).
using EntrySink = std::function<void(int line, std::string_view raw)>;

/// Calls `sink` for every entry of `text` in order; `first_line` is the line
/// number of text[0]; each LF advances it, unless `count_lines` is false
/// (a spreadsheet cell keeps its row number).
void SplitEntries(std::string_view text, int first_line, SplitMode mode, bool count_lines,
                  const EntrySink& sink);

}  // namespace imeiflow
