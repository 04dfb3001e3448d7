#include "core/terminal_text.h"

#include <gtest/gtest.h>

namespace imeiflow {
namespace {

TEST(TerminalTextTest, PlainTextIsUnchanged) {
  EXPECT_EQ(TerminalSafe("Unlock iPhone 15 – 1-3 días \\ 100%"),
            "Unlock iPhone 15 – 1-3 días \\ 100%");
}

TEST(TerminalTextTest, EscapeAndBellAreShownEscaped) {
  EXPECT_EQ(TerminalSafe("OK\x1b]0;pwned\x07\x1b[2J"), "OK\\x1b]0;pwned\\x07\\x1b[2J");
  EXPECT_EQ(TerminalSafe("a\x7f"
                         "b"),
            "a\\x7fb");
}

TEST(TerminalTextTest, C1ControlsAndBidiOverridesAreShownEscaped) {
  EXPECT_EQ(TerminalSafe("\xC2\x9B"
                         "31m"),
            "\\u009b31m");
  EXPECT_EQ(TerminalSafe("title \xE2\x80\xAEgpj.exe"), "title \\u202egpj.exe");
  EXPECT_EQ(TerminalSafe("\xE2\x81\xA6x\xE2\x81\xA9"), "\\u2066x\\u2069");
}

TEST(TerminalTextTest, InvalidUtf8BytesAreShownAsHex) {
  EXPECT_EQ(TerminalSafe("a\xff\xC3"), "a\\xff\\xc3");
}

TEST(TerminalTextTest, LineBreaksAreKeptOnlyWhenAsked) {
  EXPECT_EQ(TerminalSafe("a\r\nb\tc"), "a\\x0d\\x0ab\\x09c");
  EXPECT_EQ(TerminalSafe("a\r\nb\tc", LineBreaks::kKeep), "a\r\nb\\x09c");
}

}  // namespace
}  // namespace imeiflow
