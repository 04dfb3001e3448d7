#include "core/money.h"

#include <gtest/gtest.h>

namespace imeiflow {
namespace {

TEST(MoneyTest, ParsesSupplierPrices) {
  EXPECT_EQ(Money::Parse("0.08")->cents(), 8);
  EXPECT_EQ(Money::Parse("12")->cents(), 1200);
  EXPECT_EQ(Money::Parse("12.5")->cents(), 1250);
  EXPECT_EQ(Money::Parse("1.000")->cents(), 100);
  EXPECT_EQ(Money::Parse("$1,234.50")->cents(), 123450);
  EXPECT_EQ(Money::Parse(" 3.10 ")->cents(), 310);
}

TEST(MoneyTest, RejectsWhatIsNotAPrice) {
  for (const char* s : {"", "-1", "abc", "0.005", ".5", "1.2.3", "1e3", "$"}) {
    Result<Money> r = Money::Parse(s);
    EXPECT_FALSE(r.ok()) << s;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("bad amount"), std::string::npos);
    }
  }
}

TEST(MoneyTest, FormatsExactly) {
  EXPECT_EQ(Money::FromCents(8).ToDecimal(), "0.08");
  EXPECT_EQ(Money::FromCents(123450).ToDecimal(), "1234.50");
  EXPECT_EQ(Money::FromCents(8).ToDisplay(), "$0.08");
  EXPECT_EQ(Money::FromCents(123456789).ToDisplay(), "$1,234,567.89");
  EXPECT_EQ((Money::FromCents(8) * 6000).ToDisplay(), "$480.00");
}

}  // namespace
}  // namespace imeiflow
