// Money: an exact amount in cents (no floating point anywhere near a price).
//
// Suppliers quote prices such as "0.08" or "12.5"; a job's cost is count x
// price. Parsing rejects anything that is not a plain non-negative decimal
// with at most two fraction digits after trailing zeros are dropped.
// A value type; safe to use from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace imeiflow {

/// An exact amount of money, in cents of the supplier's currency.
class Money {
 public:
  /// Zero.
  constexpr Money() = default;
  /// An amount of `cents` cents.
  static constexpr Money FromCents(int64_t cents) { return Money(cents); }
  /// Parses "0.08", "12", "12.5", "$1,234.50", "1.000" (trailing zeros beyond
  /// cents are allowed). Rejects negatives, sub-cent amounts and anything else.
  static Result<Money> Parse(std::string_view text);

  /// The amount in cents.
  constexpr int64_t cents() const { return cents_; }
  /// "0.08", "1234.50": plain decimal, two fraction digits.
  std::string ToDecimal() const;
  /// "$0.08", "$1,234.50": as shown to people and in the supplier's CSV.
  std::string ToDisplay() const;

  constexpr Money operator+(Money o) const { return Money(cents_ + o.cents_); }
  constexpr Money operator-(Money o) const { return Money(cents_ - o.cents_); }
  constexpr Money operator*(int64_t n) const { return Money(cents_ * n); }
  constexpr Money& operator+=(Money o) { cents_ += o.cents_; return *this; }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  constexpr explicit Money(int64_t cents) : cents_(cents) {}
  int64_t cents_ = 0;
};

}  // namespace imeiflow
