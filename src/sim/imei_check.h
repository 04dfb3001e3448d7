// The simulator's IMEI validation: exactly 15 digits with a valid Luhn check digit.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace imeiflow::sim {

/// True when `imei` is 15 ASCII digits whose last digit is the Luhn check digit.
bool IsValidImei(std::string_view imei);

/// The valid IMEI made of the 14 digits `body` plus their Luhn check digit
/// (tests and benchmarks use it to mint fresh IMEIs). `body` must be 14 digits.
std::string ImeiWithCheckDigit(std::string_view body);

/// The `n`th (n < 10^12) of a sequence of distinct valid IMEIs ("35" + 12 digits + check).
std::string NthImei(uint64_t n);

}  // namespace imeiflow::sim
