#include "core/formula_guard.h"

#include <gtest/gtest.h>

namespace imeiflow {
namespace {

TEST(FormulaGuard, PrefixesEveryTrigger) {
  EXPECT_EQ(NeutraliseFormula("=1+1"), "'=1+1");
  EXPECT_EQ(NeutraliseFormula("+1"), "'+1");
  EXPECT_EQ(NeutraliseFormula("-1"), "'-1");
  EXPECT_EQ(NeutraliseFormula("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(NeutraliseFormula("\tx"), "'\tx");
  EXPECT_EQ(NeutraliseFormula("\rx"), "'\rx");
}

TEST(FormulaGuard, LeavesOrdinaryCellsAlone) {
  for (std::string_view cell : {"", "356938035643809", "$0.08", "Model: iPhone - FMI: ON", "a=b",
                                " =1", "'", "'abc", "\nx"}) {
    EXPECT_EQ(NeutraliseFormula(cell), cell) << cell;
    EXPECT_EQ(RestoreFormula(cell), cell) << cell;
  }
}

TEST(FormulaGuard, QuotedTriggersGetOneMoreQuote) {
  EXPECT_EQ(NeutraliseFormula("'=x"), "''=x");
  EXPECT_EQ(NeutraliseFormula("''-x"), "'''-x");
}

TEST(FormulaGuard, RestoreUndoesExactlyOneQuote) {
  EXPECT_EQ(RestoreFormula("'=1+1"), "=1+1");
  EXPECT_EQ(RestoreFormula("''=x"), "'=x");
  EXPECT_EQ(RestoreFormula("'\rx"), "\rx");
}

TEST(FormulaGuard, RoundTripIsLossless) {
  for (std::string_view cell : {"=HYPERLINK(\"http://x\")", "+", "-", "@", "\t", "\r", "'", "''",
                                "'=", "''@a", "'a", "x'=", "plain", ""}) {
    std::string written = NeutraliseFormula(cell);
    EXPECT_EQ(RestoreFormula(written), cell) << cell;
    if (!written.empty()) {
      EXPECT_EQ(std::string_view("=+-@\t\r").find(written[0]), std::string_view::npos) << cell;
    }
  }
}

}  // namespace
}  // namespace imeiflow
