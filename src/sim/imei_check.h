// The simulator's IMEI validation: exactly 15 digits with a valid Luhn check digit.
// Pure functions; thread-safe.
#pragma once

#include <string_view>

namespace imeiflow::sim {

/// True when `imei` is 15 ASCII digits whose last digit is the Luhn check digit.
bool IsValidImei(std::string_view imei);

}  // namespace imeiflow::sim
