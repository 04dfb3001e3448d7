#include "sim/imei_check.h"

namespace imeiflow::sim {

bool IsValidImei(std::string_view imei) {
  if (imei.size() != 15) return false;
  int sum = 0;
  for (size_t i = 0; i < imei.size(); ++i) {
    char c = imei[i];
    if (c < '0' || c > '9') return false;
    int digit = c - '0';
    if (i % 2 == 1) {  // every second digit from the left is doubled
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 == 0;
}

std::string ImeiWithCheckDigit(std::string_view body) {
  std::string imei(body);
  imei += '0';
  for (char check = '0'; check <= '9'; ++check) {
    imei.back() = check;
    if (IsValidImei(imei)) break;
  }
  return imei;
}

std::string NthImei(uint64_t n) {
  std::string digits = std::to_string(n % 1000000000000ULL);
  return ImeiWithCheckDigit("35" + std::string(12 - digits.size(), '0') + digits);
}

}  // namespace imeiflow::sim
